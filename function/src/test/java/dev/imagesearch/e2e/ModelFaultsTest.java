package dev.imagesearch.e2e;

import static dev.imagesearch.e2e.GetEvents.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.Lazy;
import dev.imagesearch.web.SearchHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing or corrupt model. Outcome: the process stays up (no crash loop for systemd to spin on),
 * {@code /healthz} answers, {@code /readyz} and searches answer 503 naming the model path, and the
 * unit's start limit stops systemd from restarting a process that does exit at once.
 */
class ModelFaultsTest {
  @TempDir Path dir;

  private SearchHandler handlerWithModel(Path model) {
    Map<String, String> env = new HashMap<>(DemoCollection.local().env());
    env.put("IMAGE_SEARCH_MODEL", model.toString());
    Lazy<Bootstrap.Wired> wired = new Lazy<>(() -> Bootstrap.webApp(env));
    return new SearchHandler(() -> wired.get().app());
  }

  @Test
  void aMissingModelIsNamedInReadyzWhileHealthzStaysUp() {
    Path missing = dir.resolve("no-such-model");
    SearchHandler handler = handlerWithModel(missing);
    assertEquals(200, get(handler, "/healthz", "").status());
    HttpResponse ready = get(handler, "/readyz", "");
    assertEquals(503, ready.status());
    assertTrue(ready.bodyText().contains(missing.toString()), ready.bodyText());
    HttpResponse search = get(handler, "/api/search", "q=red");
    assertEquals(503, search.status());
    assertTrue(search.bodyText().contains(missing.toString()), search.bodyText());
  }

  @Test
  void aCorruptModelFileIsNamedInReadyz() throws IOException {
    Path model = dir.resolve("tiny-clip");
    DemoCollection.copy(DemoCollection.TINY_MODEL, model);
    Path text = model.resolve("onnx/text_model_quantized.onnx");
    Files.write(text, "this is not an ONNX file".getBytes());
    SearchHandler handler = handlerWithModel(model);
    assertEquals(200, get(handler, "/healthz", "").status());
    HttpResponse ready = get(handler, "/readyz", "");
    assertEquals(503, ready.status(), ready.bodyText());
    assertTrue(ready.bodyText().contains("text_model_quantized.onnx"), ready.bodyText());
    HttpResponse search = get(handler, "/api/search", "q=red");
    assertTrue(search.status() == 503, search.bodyText());
    assertTrue(!search.bodyText().contains("OrtException"), search.bodyText());
  }

  /**
   * systemd's defaults (5 starts in 10 s) never trip with RestartSec=2 and a JVM start: a process
   * that exits at once would be restarted for ever. The unit's own limit must be wide enough.
   */
  @Test
  void theUnitsStartLimitStopsACrashLoop() throws IOException {
    String unit = Files.readString(DemoCollection.ROOT.resolve("ec2/image-search.service"));
    int interval = setting(unit, "StartLimitIntervalSec");
    int burst = setting(unit, "StartLimitBurst");
    int restartSec = setting(unit, "RestartSec");
    // burst restarts, each at least RestartSec apart, must fit in the interval to trip.
    assertTrue(burst * restartSec < interval, unit);
    assertTrue(unit.indexOf("StartLimitIntervalSec") < unit.indexOf("[Service]"), "[Unit] key");
  }

  private static int setting(String unit, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "=(\\d+)").matcher(unit);
    assertTrue(m.find(), name + " is not set in the unit");
    return Integer.parseInt(m.group(1));
  }
}
