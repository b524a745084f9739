package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.NullSample;
import dev.imagesearch.search.QueryNull;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationJsonTest {
  private static QueryNull n(double... values) {
    return new QueryNull(NullSample.of(values), NullSample.of(values));
  }

  @Test
  void roundTripsSortedAndRoundedPerTower() {
    Calibration c =
        new Calibration(
            "clip", Map.of("clip", n(0.3, 0.1234567891), "clip-fr", n(0.2)), n(0.9, 0.8));
    String json = new String(CalibrationJson.write(c), StandardCharsets.UTF_8);
    assertEquals(
        "{\"model_id\":\"clip\",\"texts\":{\"clip\":{\"best\":[0.123457,0.3],\"spread\":[0.123457,0.3]},"
            + "\"clip-fr\":{\"best\":[0.2],\"spread\":[0.2]}},"
            + "\"images\":{\"best\":[0.8,0.9],\"spread\":[0.8,0.9]}}\n",
        json);
    Calibration back = CalibrationJson.read(json.getBytes(StandardCharsets.UTF_8), "c.json");
    assertEquals("clip", back.modelId());
    assertArrayEquals(
        new double[] {0.123457, 0.3}, back.text("clip").orElseThrow().best().values(), 0);
    assertEquals(0.2, back.text("clip-fr").orElseThrow().best().quantile(0.5));
  }

  @Test
  void badFilesAreRefusedWithTheirName() {
    InvalidIndexException e =
        assertThrows(
            InvalidIndexException.class,
            () ->
                CalibrationJson.read(
                    "{\"model_id\":\"m\",\"texts\":{\"m\":{\"best\":[],\"spread\":[1]}}}"
                        .getBytes(StandardCharsets.UTF_8),
                    "index/v1/calibration.json"));
    assertEquals(
        "index/v1/calibration.json texts.m: needs a non-empty array of numbers", e.getMessage());
    assertThrows(
        InvalidIndexException.class,
        () -> CalibrationJson.read("not json".getBytes(StandardCharsets.UTF_8), "c.json"));
    assertThrows(
        InvalidIndexException.class,
        () ->
            CalibrationJson.read(
                "{\"model_id\":\"m\"}".getBytes(StandardCharsets.UTF_8), "c.json"));
  }
}
