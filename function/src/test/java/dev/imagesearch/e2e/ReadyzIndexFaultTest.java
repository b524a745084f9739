package dev.imagesearch.e2e;

import static dev.imagesearch.e2e.GetEvents.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.SearchHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused new index while an older one serves: {@code /readyz} stays 200 (searches are answered)
 * and says what failed, so an operator sees it without reading logs.
 */
class ReadyzIndexFaultTest {
  @TempDir Path dir;

  @Test
  void aRefusedVersionIsNamedInReadyzWhileTheOldOneServes() throws Exception {
    DemoCollection.Built demo = DemoCollection.local();
    Path store = dir.resolve("store");
    DemoCollection.copy(demo.store(), store);
    Map<String, String> env = new HashMap<>(demo.env());
    env.put("IMAGE_SEARCH_STORE", store.toString());
    Bootstrap.Wired wired = Bootstrap.webApp(env);
    try {
      wired.watcher().poll();
      String live = wired.watcher().status().liveVersion();
      SearchHandler handler = new SearchHandler(wired::app);
      Files.writeString(store.resolve("index/CURRENT"), "20991231T000000Z-deadbeef\n");
      wired.watcher().poll();

      HttpResponse ready = get(handler, "/readyz", "");
      JsonNode body = new ObjectMapper().readTree(ready.bodyText());
      assertEquals(200, ready.status(), ready.bodyText());
      assertEquals(true, body.get("ready").asBoolean());
      assertEquals(live, body.get("indexVersion").asText());
      String problem = body.get("problem").asText();
      assertTrue(problem.startsWith("index: refused index 20991231T000000Z-deadbeef"), problem);
      assertTrue(problem.endsWith("; still serving " + live), problem);
      assertEquals(200, get(handler, "/api/search", "q=red").status());
    } finally {
      wired.watcher().close();
    }
  }
}
