package dev.imagesearch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.NullSample;
import dev.imagesearch.search.QueryNull;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code calibration.json} of an index version, beside the manifest and sha256-listed in it:
 *
 * <pre>{@code
 * {"model_id": "tiny-clip-v1",
 *  "texts": {"tiny-clip-v1": {"best": [0.12, ...], "spread": [0.05, ...]}},
 *  "images": {"best": [...], "spread": [...]}}
 * }</pre>
 *
 * {@code texts} is keyed by text tower id, so a second tower (another language) adds an entry.
 * Values are sorted and rounded to 6 decimals, so the same collection always writes the same bytes
 * (an unchanged collection publishes no new version).
 */
public final class CalibrationJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CalibrationJson() {}

  public static byte[] write(Calibration calibration) {
    ObjectNode node = JSON.createObjectNode();
    node.put("model_id", calibration.modelId());
    ObjectNode texts = node.putObject("texts");
    new TreeMap<>(calibration.texts()).forEach((tower, n) -> put(texts.putObject(tower), n));
    put(node.putObject("images"), calibration.images());
    try {
      return (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new ImageSearchException("cannot write calibration.json: " + e.getMessage(), e);
    }
  }

  /** Parses a calibration; {@code name} names the file in errors. */
  public static Calibration read(byte[] bytes, String name) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidIndexException(name + " is not valid JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject() || !node.path("model_id").isTextual()) {
      throw new InvalidIndexException(name + ": not a calibration (no \"model_id\")");
    }
    JsonNode textsNode = node.path("texts");
    if (!textsNode.isObject() || textsNode.isEmpty()) {
      throw new InvalidIndexException(name + ": \"texts\" must name at least one text tower");
    }
    Map<String, QueryNull> texts = new TreeMap<>();
    for (Map.Entry<String, JsonNode> tower : textsNode.properties()) {
      texts.put(tower.getKey(), queryNull(tower.getValue(), name + " texts." + tower.getKey()));
    }
    return new Calibration(
        node.get("model_id").asText(), texts, queryNull(node.path("images"), name + " images"));
  }

  private static void put(ObjectNode node, QueryNull n) {
    array(node.putArray("best"), n.best());
    array(node.putArray("spread"), n.spread());
  }

  private static void array(ArrayNode array, NullSample sample) {
    for (double v : sample.values()) {
      array.add(Math.round(v * 1e6) / 1e6);
    }
  }

  private static QueryNull queryNull(JsonNode node, String where) {
    return new QueryNull(sample(node.path("best"), where), sample(node.path("spread"), where));
  }

  private static NullSample sample(JsonNode array, String where) {
    if (!array.isArray() || array.isEmpty()) {
      throw new InvalidIndexException(where + ": needs a non-empty array of numbers");
    }
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = array.get(i);
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw new InvalidIndexException(where + "[" + i + "] is not a finite number");
      }
      values[i] = v.asDouble();
    }
    return NullSample.of(values);
  }
}
