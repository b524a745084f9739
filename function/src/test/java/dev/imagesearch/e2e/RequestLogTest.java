package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.RequestLog;
import dev.imagesearch.web.SearchHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One JSON line per request with what an operator needs, the request id the user saw, and the query
 * text only when enabled; never a link signature.
 */
class RequestLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Bootstrap.Wired wired;

  @BeforeAll
  static void start() {
    wired = Bootstrap.webApp(DemoCollection.local().env());
    wired.watcher().poll();
  }

  @AfterAll
  static void stop() {
    wired.watcher().close();
  }

  private static APIGatewayV2HTTPEvent get(String path, String query) {
    return APIGatewayV2HTTPEvent.builder()
        .withRawPath(path)
        .withRawQueryString(query)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withStage("$default")
                .withRequestId("req-" + path.hashCode())
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                .build())
        .build();
  }

  @Test
  void aSearchLogsOneLineWithStagesHitsAndVersionButNotTheQuery() throws Exception {
    SearchHandler handler = new SearchHandler(wired::app, new RequestLog(false));
    List<String> lines = new ArrayList<>();
    HttpResponse answer = handler.handle(get("/api/search", "q=red+circle&k=5"), lines::add);
    assertEquals(200, answer.status());
    assertEquals(1, lines.size());
    JsonNode line = JSON.readTree(lines.get(0));
    assertEquals("req-" + "/api/search".hashCode(), line.get("requestId").asText());
    assertEquals("GET", line.get("method").asText());
    assertEquals("/api/search", line.get("route").asText());
    assertEquals(200, line.get("status").asInt());
    assertEquals(5, line.get("hits").asInt());
    assertEquals(wired.watcher().status().liveVersion(), line.get("indexVersion").asText());
    assertTrue(line.get("stages").has("encode") && line.get("stages").has("scan"), lines.get(0));
    assertTrue(line.get("totalMs").asDouble() > 0, lines.get(0));
    assertTrue(line.has("time"));
    assertFalse(lines.get(0).contains("red circle"), "query text logged while disabled");
  }

  @Test
  void theQueryTextOnlyWhenEnabledAndErrorsCarryTheIdTheUserSaw() throws Exception {
    SearchHandler handler = new SearchHandler(wired::app, new RequestLog(true));
    List<String> lines = new ArrayList<>();
    handler.handle(get("/api/search", "q=red+circle"), lines::add);
    assertEquals("red circle", JSON.readTree(lines.get(0)).get("query").asText());

    HttpResponse error = handler.handle(get("/api/search", "q=x&k=0"), lines::add);
    JsonNode line = JSON.readTree(lines.get(1));
    assertEquals(400, line.get("status").asInt());
    assertEquals(error.headers().get("x-request-id"), line.get("requestId").asText());
    assertTrue(error.bodyText().contains(line.get("requestId").asText()));
  }

  @Test
  void signedLinksAreNeverLogged() throws Exception {
    SearchHandler handler = new SearchHandler(wired::app, new RequestLog(true));
    List<String> lines = new ArrayList<>();
    HttpResponse search = handler.handle(get("/api/search", "q=red&k=1"), lines::add);
    JsonNode hit = JSON.readTree(search.bodyText()).get("hits").get(0);
    String link = hit.get("thumbnailUrl") != null ? hit.get("thumbnailUrl").asText() : "";
    int q = link.indexOf('?');
    assertTrue(q > 0, search.bodyText());
    handler.handle(get(link.substring(0, q), link.substring(q + 1)), lines::add);
    JsonNode line = JSON.readTree(lines.get(1));
    assertEquals(200, line.get("status").asInt(), lines.get(1));
    assertFalse(lines.get(1).contains("sig="), lines.get(1));
    String sig = link.replaceAll(".*sig=([^&]*).*", "$1");
    assertFalse(String.join("\n", lines).contains(sig), "a link signature reached the log");
  }
}
