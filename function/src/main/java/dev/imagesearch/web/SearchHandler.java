package dev.imagesearch.web;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.ClipTokenizer;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one handler: AWS Lambda calls it with API Gateway HTTP API (payload 2.0) events, and the
 * socket server ({@code dev.imagesearch.server.HttpServerMain}) calls it with the same events built
 * from socket requests, so every deployment answers alike.
 *
 * <p>The application (model, tokenizer, index) lives in a static field, created once on first use
 * and shared by every invocation of the execution environment; SnapStart snapshots it after priming
 * ({@link SnapStartPriming}). No exception escapes as a Lambda error: a user always gets a 4xx/5xx
 * answer with a request id, and the log gets the stack trace once.
 */
public class SearchHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private static final System.Logger LOG = System.getLogger(SearchHandler.class.getName());
  private static final Lazy<Bootstrap.Wired> WIRED =
      new Lazy<>(() -> Bootstrap.webApp(AppConfig.fromEnv(System.getenv())));
  private static final Supplier<WebApp> APP = () -> WIRED.get().app();

  /** Kept in a static field: CRaC holds registered resources only weakly. */
  private static final SnapStartPriming PRIMING = new SnapStartPriming(WIRED, 25);

  static {
    // Process-wide settings, once per execution environment (Lambda does not run Main.main).
    ClipTokenizer.prepareNativeEnvironment();
    PRIMING.register();
  }

  private static final Templates TEMPLATES = new Templates();
  private static final Consumer<String> STDOUT = System.out::println;
  private final Supplier<WebApp> app;
  private final RequestLog requestLog;

  /** Used by Lambda: the shared, lazily created application. */
  public SearchHandler() {
    this(APP);
  }

  /** Used by the socket server and tests: a given application. */
  public SearchHandler(Supplier<WebApp> app) {
    this(app, RequestLog.fromEnv(System.getenv()));
  }

  /** A given application and request log (tests). */
  public SearchHandler(Supplier<WebApp> app, RequestLog requestLog) {
    this.app = app;
    this.requestLog = requestLog;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    // On Lambda the request log goes through the function's logger (its JSON log format).
    Consumer<String> sink =
        context == null || context.getLogger() == null ? STDOUT : context.getLogger()::log;
    return ApiGatewayEvents.toEvent(handle(event, sink));
  }

  /** The same as {@link #handleRequest} before the response is turned into an event. */
  public HttpResponse handle(APIGatewayV2HTTPEvent event) {
    return handle(event, STDOUT);
  }

  /**
   * Answers {@code event} and writes its request log line to {@code sink}. Every answer, error or
   * not, carries the {@link SecurityHeaders} and the request id.
   */
  public HttpResponse handle(APIGatewayV2HTTPEvent event, Consumer<String> sink) {
    long start = System.nanoTime();
    HttpRequest request;
    HttpResponse response;
    try {
      request = ApiGatewayEvents.toRequest(event);
      response = answer(request);
    } catch (HttpError e) {
      // The event itself is malformed (bad percent-encoding, bad base64): answer from its bare
      // method, path and request id, in the route family's format.
      request = ApiGatewayEvents.bareRequest(event);
      response = new ErrorResponses(TEMPLATES).of(request, e.status(), e.getMessage());
    }
    response = SecurityHeaders.apply(response, request.requestId());
    requestLog.log(
        sink,
        request.requestId(),
        request.method(),
        request.path(),
        searchText(request),
        response,
        start);
    return response;
  }

  /** What was searched for (the first q, similar or key value), for the request log. */
  private static String searchText(HttpRequest request) {
    for (String name : new String[] {"q", "similar", "key"}) {
      java.util.List<String> values = request.query().get(name);
      if (values != null && !values.isEmpty()) {
        return values.get(0);
      }
    }
    return null;
  }

  /**
   * An error answer in the route family's format for a request the socket server refused before it
   * reached {@link #handle} (too large, too many, too slow, malformed), so both doors look alike.
   */
  public static HttpResponse refusal(String path, String requestId, int status, String message) {
    HttpRequest request =
        new HttpRequest(
            "GET",
            path == null || !path.startsWith("/") ? "/" : path,
            "",
            java.util.Map.of(),
            java.util.Map.of(),
            new byte[0],
            requestId);
    return SecurityHeaders.apply(
        new ErrorResponses(TEMPLATES).of(request, status, message), requestId);
  }

  private HttpResponse answer(HttpRequest request) {
    if (request.path().equals("/healthz") && Set.of("GET", "HEAD").contains(request.method())) {
      // Liveness never waits for the application: its creation may be blocked on S3.
      return health(request);
    }
    try {
      WebApp webApp;
      try {
        webApp = app.get();
      } catch (ImageSearchException e) {
        return notReady(request, e.getMessage());
      }
      return webApp.handle(request);
    } catch (RuntimeException | Error e) {
      // One line under the id the user sees; the stack trace only at DEBUG (never to the user,
      // and not at the default level, where a trace could carry a signed URL or a credential).
      String line =
          "request "
              + request.requestId()
              + " "
              + request.method()
              + " "
              + request.path()
              + " failed: "
              + e;
      LOG.log(Level.ERROR, line);
      LOG.log(Level.DEBUG, line, e);
      return new ErrorResponses(TEMPLATES)
          .of(
              request,
              500,
              "something went wrong on our side; quote request id "
                  + request.requestId()
                  + " when reporting it");
    }
  }

  /**
   * Answers while the application cannot be built (a wrong setting, S3 unreachable while fetching
   * the model): {@code /healthz} stays up, {@code /readyz} and everything else say why with 503.
   * The next request tries again, so the service recovers without a restart.
   */
  private static HttpResponse health(HttpRequest request) {
    HttpResponse ok =
        HttpResponse.json(200, "{\"status\":\"ok\"}").withHeader("cache-control", "no-store");
    return request.method().equals("HEAD")
        ? new HttpResponse(200, ok.headers(), new byte[0])
            .withHeader("content-length", Integer.toString(ok.body().length))
        : ok;
  }

  private static HttpResponse notReady(HttpRequest request, String problem) {
    if (request.path().equals("/readyz")) {
      return HttpResponse.json(
              503, Json.write(java.util.Map.of("ready", false, "problem", problem)))
          .withHeader("cache-control", "no-store");
    }
    return new ErrorResponses(TEMPLATES).of(request, 503, "the service is not ready: " + problem);
  }
}
