package dev.imagesearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing, formats and encodings of the handler, through API Gateway v2 events. */
class WebAppTest {
  private final SearchHandler handler =
      new SearchHandler(() -> new WebApp(new FixedSearchService(), WebSettings.defaults()));

  static APIGatewayV2HTTPEvent event(String method, String stage, String rawPath, String rawQuery) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRawPath(rawPath)
        .withRawQueryString(rawQuery)
        .withHeaders(Map.of("Host", "example.com", "Accept", "text/html"))
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withStage(stage)
                .withRequestId("req-123")
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(rawPath)
                        .build())
                .build())
        .build();
  }

  private APIGatewayV2HTTPResponse call(String method, String path, String query) {
    return handler.handleRequest(event(method, "$default", path, query), null);
  }

  @Test
  void unknownApiRouteIsJson404WithRequestId() {
    APIGatewayV2HTTPResponse r = call("GET", "/api/nope", "");
    assertEquals(404, r.getStatusCode());
    assertEquals("application/json", r.getHeaders().get("content-type"));
    assertEquals(
        "{\"error\":{\"status\":404,\"message\":\"no page at /api/nope\",\"requestId\":\"req-123\"}}",
        r.getBody());
  }

  @Test
  void unknownPageIsHtml404() {
    APIGatewayV2HTTPResponse r = call("GET", "/nope", "");
    assertEquals(404, r.getStatusCode());
    assertTrue(r.getHeaders().get("content-type").startsWith("text/html"));
    assertTrue(r.getBody().contains("no page at /nope"), r.getBody());
    assertTrue(r.getBody().contains("req-123"));
  }

  @Test
  void wrongMethodIs405WithAllow() {
    APIGatewayV2HTTPResponse r = call("POST", "/api/search", "q=x");
    assertEquals(405, r.getStatusCode());
    assertEquals("GET, HEAD", r.getHeaders().get("allow"));
    assertTrue(
        r.getBody().contains("\"message\":\"method POST is not allowed here; use GET, HEAD\""),
        r.getBody());
  }

  @Test
  void headAnswersLikeGetWithoutBody() {
    APIGatewayV2HTTPResponse get = call("GET", "/healthz", "");
    APIGatewayV2HTTPResponse head = call("HEAD", "/healthz", "");
    assertEquals(200, head.getStatusCode());
    assertEquals("", head.getBody());
    assertEquals(Integer.toString(get.getBody().length()), head.getHeaders().get("content-length"));
  }

  @Test
  void apiSearchDecodesRawQueryStringAndPaginates() {
    APIGatewayV2HTTPResponse r = call("GET", "/api/search", "q=red%20circle+%2B+blue&k=2&offset=1");
    assertEquals(200, r.getStatusCode());
    assertTrue(
        r.getBody()
            .startsWith(
                "{\"query\":{\"q\":\"red circle + blue\",\"verdict\":\"strong\",\"total\":4,\"k\":2,\"offset\":1,"),
        r.getBody());
    assertTrue(
        r.getBody().contains("\"hits\":[{\"rank\":2,\"key\":\"blue_square.jpg\""), r.getBody());
    assertTrue(
        r.getBody()
            .contains(
                "\"stats\":{\"basis\":\"calibrated\",\"standing\":99.6,\"spreadStanding\":97.0,"
                    + "\"summary\":\"the best image scores above 99.6 % of unrelated queries"
                    + " tried on this collection\",\"bestScore\":0.3,\"mean\":0.1,"
                    + "\"standardDeviation\":0.05,\"bestZ\":4.0,\"chanceZ\":2.5,\"margin\":1.5}"),
        r.getBody());
    assertTrue(r.getBody().contains("{\"rank\":3,\"key\":\"green_star.jpg\""), r.getBody());
    assertTrue(r.getHeaders().get("server-timing").startsWith("encode;dur=1.50, scan;dur=0.25"));
  }

  @Test
  void badParametersAreClear400s() {
    assertEquals(
        "{\"error\":{\"status\":400,\"message\":\"parameter 'k' must be between 1 and 100, got 5000\",\"requestId\":\"req-123\"}}",
        call("GET", "/api/search", "q=x&k=5000").getBody());
    assertEquals(
        "{\"error\":{\"status\":400,\"message\":\"parameter 'q' is required: describe the images you want\",\"requestId\":\"req-123\"}}",
        call("GET", "/api/search", "").getBody());
    assertEquals(400, call("GET", "/api/search", "q=x&offset=abc").getStatusCode());
  }

  @Test
  void namedStagePrefixIsStrippedAndKeptInLinks() {
    APIGatewayV2HTTPResponse r =
        handler.handleRequest(event("GET", "prod", "/prod/", "q=red"), null);
    assertEquals(200, r.getStatusCode());
    String html = attributes(r.getBody());
    assertTrue(html.contains("href=\"/prod/static/style.css\""), html);
    assertTrue(html.contains("action=\"/prod/\""));
    assertTrue(html.contains("href=\"/prod/?similar=red_circle.jpg\""), html);
    assertEquals(
        200,
        handler.handleRequest(event("GET", "prod", "/prod/healthz", ""), null).getStatusCode());
  }

  /** Mustache escapes '=' and '&' inside attribute values; browsers read them back as these. */
  static String attributes(String html) {
    return html.replace("&#61;", "=").replace("&amp;", "&");
  }

  @Test
  void pageEscapesQueryAndKeys() {
    APIGatewayV2HTTPResponse r = call("GET", "/", "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assertEquals(200, r.getStatusCode());
    assertFalse(r.getBody().contains("<script>alert(1)</script>"));
    assertTrue(
        r.getBody().contains("value=\"&lt;script&gt;alert(1)&lt;&#x2F;script&gt;\"")
            || r.getBody().contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""),
        r.getBody());
    assertFalse(r.getBody().contains("<b>bold</b>"));
    assertEquals("no-referrer", r.getHeaders().get("referrer-policy"));
  }

  @Test
  void pageShowsBadInputAs400OnThePage() {
    APIGatewayV2HTTPResponse r = call("GET", "/", "similar=missing.jpg");
    assertEquals(404, r.getStatusCode());
    assertTrue(
        r.getBody().contains("no image with key &#39;missing.jpg&#39; in the collection")
            || r.getBody().contains("no image with key &#x27;missing.jpg&#x27;"),
        r.getBody());
  }

  @Test
  void staticAssetsAndBase64Bodies() {
    APIGatewayV2HTTPResponse css = call("GET", "/static/style.css", "");
    assertEquals(200, css.getStatusCode());
    assertEquals("text/css; charset=utf-8", css.getHeaders().get("content-type"));
    assertFalse(css.getIsBase64Encoded());
    assertEquals(404, call("GET", "/static/../pom.xml", "").getStatusCode());

    APIGatewayV2HTTPEvent badBody = event("GET", "$default", "/api/search", "q=x");
    badBody.setBody("!!!not base64");
    badBody.setIsBase64Encoded(true);
    assertEquals(400, handler.handleRequest(badBody, null).getStatusCode());
    APIGatewayV2HTTPEvent goodBody = event("GET", "$default", "/api/search", "q=x");
    goodBody.setBody(Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)));
    goodBody.setIsBase64Encoded(true);
    assertEquals(200, handler.handleRequest(goodBody, null).getStatusCode());
  }

  @Test
  void failuresBecome500WithRequestIdNotALambdaError() {
    SearchHandler broken =
        new SearchHandler(
            () -> {
              throw new IllegalStateException("boom");
            });
    APIGatewayV2HTTPResponse r =
        broken.handleRequest(event("GET", "$default", "/api/search", "q=x"), null);
    assertEquals(500, r.getStatusCode());
    assertTrue(r.getBody().contains("quote request id req-123"), r.getBody());
    assertFalse(r.getBody().contains("IllegalStateException"));
  }
}
