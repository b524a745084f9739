package dev.imagesearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.IncompatibleQueryException;
import dev.imagesearch.search.InvalidQueryException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every domain failure the search service can raise gets its deliberate status and its own message,
 * in the JSON API and on the page; anything else is a 500 that hides the internal message.
 */
class RouterErrorMappingTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new InvalidQueryException("the query is empty"), 400, "the query is empty"),
        Arguments.of(
            new UnknownImageException("cat.jpg"),
            404,
            "no image with key 'cat.jpg' in the collection"),
        Arguments.of(
            new NotReadyException("no index is being served yet"),
            503,
            "no index is being served yet"),
        Arguments.of(
            new IncompatibleQueryException(
                "query embedding has 512 values but the index has 64 dimensions"),
            503,
            "query embedding has 512 values but the index has 64 dimensions"),
        Arguments.of(HttpError.badRequest("k must be a number"), 400, "k must be a number"),
        Arguments.of(
            new ImageSearchException("secret internal detail"),
            500,
            "something went wrong on our side; quote request id req-123 when reporting it"));
  }

  private static APIGatewayV2HTTPResponse call(RuntimeException failure, String path) {
    SearchService failing =
        new SearchService() {
          @Override
          public SearchOutcome search(String query, int k, int offset) {
            throw failure;
          }

          @Override
          public SearchOutcome similar(String key, int k, int offset) {
            throw failure;
          }

          @Override
          public Readiness readiness() {
            return new Readiness(true, "test-model", "v1", 4, null, false);
          }
        };
    SearchHandler handler = new SearchHandler(() -> new WebApp(failing, WebSettings.defaults()));
    return handler.handleRequest(WebAppTest.event("GET", "$default", path, "q=cats"), null);
  }

  @ParameterizedTest
  @MethodSource("failures")
  void apiAnswersTheMappedStatusWithTheMessage(
      RuntimeException failure, int status, String message) {
    APIGatewayV2HTTPResponse r = call(failure, "/api/search");
    assertEquals(status, r.getStatusCode(), r.getBody());
    assertEquals(
        "{\"error\":{\"status\":"
            + status
            + ",\"message\":\""
            + message
            + "\",\"requestId\":\"req-123\"}}",
        r.getBody());
  }

  @ParameterizedTest
  @MethodSource("failures")
  void pageAnswersTheMappedStatusWithTheMessage(
      RuntimeException failure, int status, String message) {
    APIGatewayV2HTTPResponse r = call(failure, "/");
    assertEquals(status, r.getStatusCode());
    assertTrue(r.getBody().contains(message.replace("'", "&#39;")), r.getBody());
  }
}
