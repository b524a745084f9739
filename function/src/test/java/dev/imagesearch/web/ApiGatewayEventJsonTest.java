package dev.imagesearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import org.junit.jupiter.api.Test;

/**
 * The handler fed API Gateway HTTP API (payload 2.0) events as JSON in the shape AWS documents
 * ({@code src/test/resources/events/}), loaded with {@code aws-lambda-java-tests}: stages, raw
 * query strings with repeated names, base64 bodies, bad encodings, HEAD, static assets, 404/405.
 */
class ApiGatewayEventJsonTest {
  private final SearchHandler handler =
      new SearchHandler(() -> new WebApp(new FixedSearchService(), WebSettings.defaults()));

  private APIGatewayV2HTTPResponse call(String event) {
    return handler.handleRequest(
        EventLoader.loadApiGatewayHttpEvent("events/" + event + ".json"), null);
  }

  @Test
  void namedStageSearchRefusesRepeatedParameters() {
    // queryStringParameters says "k": "2,3" (comma-joined); the raw query string keeps them apart,
    // so the answer names the repetition instead of guessing which k was meant.
    APIGatewayV2HTTPResponse r = call("search-named-stage");
    assertEquals(400, r.getStatusCode());
    assertEquals("application/json", r.getHeaders().get("content-type"));
    assertFalse(r.getIsBase64Encoded());
    assertTrue(r.getBody().contains("parameter 'k' is given 2 times: give it once"), r.getBody());
  }

  @Test
  void pagesOnTheDefaultAndANamedStage() {
    APIGatewayV2HTTPResponse plain = call("page-default-stage");
    assertEquals(200, plain.getStatusCode());
    assertEquals("text/html; charset=utf-8", plain.getHeaders().get("content-type"));
    assertTrue(WebAppTest.attributes(plain.getBody()).contains("value=\"three red circles\""));
    assertTrue(plain.getBody().contains("href=\"/static/style.css\""));

    String staged = WebAppTest.attributes(call("page-named-stage").getBody());
    assertTrue(staged.contains("href=\"/prod/static/style.css\""), staged);
    assertTrue(
        staged.contains("href=\"/prod/?q=blue&k=24&offset=24\"")
            || !staged.contains("rel=\"next\""),
        staged);
  }

  @Test
  void base64BodiesAreDecodedOrRefused() {
    assertEquals(200, call("base64-body").getStatusCode());
    APIGatewayV2HTTPResponse bad = call("bad-base64-body");
    assertEquals(400, bad.getStatusCode());
    assertTrue(
        bad.getBody().contains("the request body is marked base64 but is not valid base64"),
        bad.getBody());
  }

  @Test
  void aBrokenPercentEncodingIsA400() {
    APIGatewayV2HTTPResponse r = call("bad-encoding");
    assertEquals(400, r.getStatusCode());
    assertTrue(r.getBody().contains("the query string has a broken %-escape"), r.getBody());
    assertTrue(r.getBody().contains("\"requestId\":\"JKJaXmPLvHcESHA=\""), r.getBody());
  }

  @Test
  void headStaticAndErrors() {
    APIGatewayV2HTTPResponse head = call("head-healthz");
    assertEquals(200, head.getStatusCode());
    assertEquals("", head.getBody());

    APIGatewayV2HTTPResponse svg = call("static-svg");
    assertEquals(200, svg.getStatusCode());
    assertEquals("image/svg+xml", svg.getHeaders().get("content-type"));
    assertTrue(svg.getBody().startsWith("<svg"));

    APIGatewayV2HTTPResponse post = call("wrong-method");
    assertEquals(405, post.getStatusCode());
    assertEquals("GET, HEAD", post.getHeaders().get("allow"));
    assertEquals("application/json", post.getHeaders().get("content-type"));

    APIGatewayV2HTTPResponse missing = call("unknown-route");
    assertEquals(404, missing.getStatusCode());
    assertTrue(missing.getBody().contains("no page at /prod/nothing/here"), missing.getBody());
  }

  @Test
  void similarReadyzAndTheFileRoute() {
    APIGatewayV2HTTPResponse similar = call("similar-named-stage");
    assertEquals(200, similar.getStatusCode());
    assertTrue(similar.getBody().contains("\"similarTo\":\"green_star.jpg\""), similar.getBody());

    APIGatewayV2HTTPResponse ready = call("readyz");
    assertEquals(200, ready.getStatusCode());
    assertEquals(
        "{\"ready\":true,\"model\":\"test-model\",\"indexVersion\":\"v1\",\"images\":4,"
            + "\"relevance\":\"calibrated on this collection\"}",
        ready.getBody());

    // This deployment's service serves images from S3: the local file route answers 404 clearly.
    APIGatewayV2HTTPResponse file = call("signed-file-bad-signature");
    assertEquals(404, file.getStatusCode());
    assertTrue(file.getBody().contains("this deployment serves images from S3"), file.getBody());
  }
}
