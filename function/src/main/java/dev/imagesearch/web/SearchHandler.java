package dev.imagesearch.web;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.lang.System.Logger.Level;
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
  private static final Lazy<WebApp> APP = new Lazy<>(Bootstrap::webAppFromEnvironment);

  private final Supplier<WebApp> app;

  /** Used by Lambda: the shared, lazily created application. */
  public SearchHandler() {
    this(APP);
  }

  /** Used by the socket server and tests: a given application. */
  public SearchHandler(Supplier<WebApp> app) {
    this.app = app;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return ApiGatewayEvents.toEvent(handle(event));
  }

  /** The same as {@link #handleRequest} before the response is turned into an event. */
  public HttpResponse handle(APIGatewayV2HTTPEvent event) {
    HttpRequest request;
    try {
      request = ApiGatewayEvents.toRequest(event);
    } catch (HttpError e) {
      return HttpResponse.json(
          e.status(),
          Json.write(
              java.util.Map.of(
                  "error", java.util.Map.of("status", e.status(), "message", e.getMessage()))));
    }
    try {
      return app.get().handle(request);
    } catch (RuntimeException | Error e) {
      LOG.log(
          Level.ERROR,
          "request "
              + request.requestId()
              + " "
              + request.method()
              + " "
              + request.path()
              + " failed",
          e);
      return new ErrorResponses(new Templates())
          .of(
              request,
              500,
              "something went wrong on our side; quote request id "
                  + request.requestId()
                  + " when reporting it");
    }
  }

  /** The shared application, for priming and the socket server. */
  static Lazy<WebApp> sharedApp() {
    return APP;
  }
}
