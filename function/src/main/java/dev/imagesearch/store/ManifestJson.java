package dev.imagesearch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.IndexManifest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of an index version:
 *
 * <pre>{@code
 * {"version": "20261130T031500Z-1a2b3c4d", "model_id": "tiny-clip-v1", "dim": 64,
 *  "count": 1000, "dtype": "float16", "created_at": "2026-11-30T03:15:00Z",
 *  "files": {"embeddings.npy": "<sha256>", "metadata.jsonl": "<sha256>"}}
 * }</pre>
 *
 * Unknown fields are ignored, so newer writers can add some.
 */
public final class ManifestJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestJson() {}

  public static byte[] write(IndexManifest manifest) {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", manifest.version());
    node.put("model_id", manifest.modelId());
    node.put("dim", manifest.dim());
    node.put("count", manifest.count());
    node.put("dtype", manifest.dtype());
    node.put("created_at", manifest.createdAt());
    ObjectNode files = node.putObject("files");
    new TreeMap<>(manifest.fileSha256()).forEach(files::put);
    try {
      return (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new ImageSearchException("cannot write manifest.json: " + e.getMessage(), e);
    }
  }

  /** Parses a published manifest; {@code name} names the file in errors. */
  public static IndexManifest read(byte[] bytes, String name) {
    return parse(bytes, name, false);
  }

  /**
   * Parses a staging manifest as the indexer writes it: {@code version} and {@code files} may be
   * absent (the publisher fills them in).
   */
  public static IndexManifest readDraft(byte[] bytes, String name) {
    return parse(bytes, name, true);
  }

  private static IndexManifest parse(byte[] bytes, String name, boolean draft) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new InvalidIndexException(name + " is not valid JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidIndexException(name + " is not a JSON object");
    }
    Map<String, String> files = new TreeMap<>();
    JsonNode filesNode = node.get("files");
    if (draft && filesNode == null) {
      filesNode = JSON.createObjectNode();
    }
    if (filesNode == null || !filesNode.isObject()) {
      throw new InvalidIndexException(name + ": missing \"files\" (file name to sha256)");
    }
    for (Map.Entry<String, JsonNode> file : filesNode.properties()) {
      if (!file.getValue().isTextual() || !file.getValue().asText().matches("[0-9a-f]{64}")) {
        throw new InvalidIndexException(
            name + ": \"files\"." + file.getKey() + " is not a hex sha256");
      }
      files.put(file.getKey(), file.getValue().asText());
    }
    return new IndexManifest(
        draft && !node.hasNonNull("version") ? "" : text(node, "version", name),
        text(node, "model_id", name),
        positive(node, "dim", name),
        count(node, name),
        text(node, "dtype", name),
        text(node, "created_at", name),
        Map.copyOf(files));
  }

  private static String text(JsonNode node, String field, String name) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new InvalidIndexException(name + ": missing \"" + field + "\"");
    }
    return value.asText();
  }

  private static int positive(JsonNode node, String field, String name) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToInt() || value.asInt() < 1) {
      throw new InvalidIndexException(name + ": \"" + field + "\" must be a positive integer");
    }
    return value.asInt();
  }

  private static int count(JsonNode node, String name) {
    JsonNode value = node.get("count");
    if (value == null || !value.canConvertToInt() || value.asInt() < 0) {
      throw new InvalidIndexException(name + ": \"count\" must be a whole number");
    }
    return value.asInt();
  }
}
