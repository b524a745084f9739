package dev.imagesearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.imagesearch.web.SearchHandler;
import dev.imagesearch.web.SearchService;
import dev.imagesearch.web.WebApp;
import dev.imagesearch.web.WebSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same requests through the Lambda door (an API Gateway v2 event) and through a real socket
 * give the same status, content type, cache policy and body.
 */
class SocketAndLambdaParityTest {
  private static SearchHandler handler;
  private static HttpServerMain server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    SearchService service = ParityFixtures.service();
    WebApp app = new WebApp(service, WebSettings.defaults());
    handler = new SearchHandler(() -> app);
    server = HttpServerMain.start(handler, new ServerSettings("127.0.0.1", 0, 4));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /",
        "GET /?q=red+circle",
        "GET /?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "GET /api/search?q=red%20circle&k=2&offset=1",
        "GET /api/search?k=0&q=x",
        "GET /api/search",
        "GET /api/similar?key=blue_square.jpg&k=1",
        "GET /api/similar?key=nope.jpg",
        "GET /api/nothing",
        "GET /nothing",
        "POST /api/search?q=x",
        "DELETE /",
        "GET /healthz",
        "GET /readyz",
        "GET /static/style.css",
        "GET /static/favicon.svg",
        "GET /static/missing.css",
        "HEAD /healthz"
      })
  void socketAndLambdaAgree(String line) throws Exception {
    String method = line.substring(0, line.indexOf(' '));
    String target = line.substring(line.indexOf(' ') + 1);
    URI uri = URI.create("http://127.0.0.1:" + server.port() + target);

    HttpResponse<byte[]> socket =
        CLIENT.send(
            HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    APIGatewayV2HTTPResponse lambda =
        handler.handleRequest(
            APIGatewayV2HTTPEvent.builder()
                .withRawPath(uri.getRawPath())
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withHeaders(Map.of("host", "127.0.0.1"))
                .withRequestContext(
                    APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withStage("$default")
                        .withHttp(
                            APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .build())
                        .build())
                .build(),
            null);

    assertEquals(lambda.getStatusCode(), socket.statusCode(), line);
    // Every route, status and door carries the security headers (pages, JSON, errors, static).
    assertEquals("nosniff", socket.headers().firstValue("x-content-type-options").orElse(null));
    assertEquals("no-referrer", socket.headers().firstValue("referrer-policy").orElse(null));
    String csp = socket.headers().firstValue("content-security-policy").orElse("");
    assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'none'"), csp);
    for (String header :
        List.of(
            "content-type",
            "cache-control",
            "allow",
            "referrer-policy",
            "x-content-type-options",
            "content-security-policy")) {
      assertEquals(
          lambda.getHeaders().get(header),
          socket.headers().firstValue(header).orElse(null),
          line + " " + header);
    }
    byte[] lambdaBody =
        lambda.getIsBase64Encoded()
            ? Base64.getDecoder().decode(lambda.getBody())
            : lambda.getBody().getBytes();
    assertEquals(
        withoutRequestIds(new String(lambdaBody)),
        withoutRequestIds(new String(socket.body())),
        line);
  }

  /** Request ids differ per request by design; everything else must be byte-equal. */
  private static String withoutRequestIds(String body) {
    return body.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
  }
}
