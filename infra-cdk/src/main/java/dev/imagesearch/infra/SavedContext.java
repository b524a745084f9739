package dev.imagesearch.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The stack's context as last deployed, in {@code infra-cdk/deploy-settings.json} (written by
 * {@code make deploy}, git-ignored): a later deployment starts from it, so a plain {@code make
 * deploy} to ship a new jar keeps {@code lambda=true} and every other choice instead of silently
 * deleting the function and its API. Context given on the command line wins and is saved for next
 * time; {@code lambda=false} given explicitly turns the route off.
 *
 * <pre>{@code
 * Map<String, Object> context = SavedContext.merge(SavedContext.read(file), fromArgs);
 * }</pre>
 */
final class SavedContext {
  static final String FILE = "deploy-settings.json";

  /** The stack's own settings: what is saved (artifact paths are per-build, not per-stack). */
  static final List<String> KEYS =
      List.of(
          "instanceType",
          "ingressCidr",
          "vpcId",
          "lambda",
          "lambdaArch",
          "lambdaMemory",
          "throttleRate",
          "throttleBurst",
          "modelName",
          "endpointUrl",
          "urlTtl",
          "indexPoll",
          "noncurrentIndexDays",
          "destroyOnRemoval",
          "bootstrapKmsKeyArn");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SavedContext() {}

  /** The saved settings, or none when the file does not exist yet. */
  static Map<String, Object> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    try {
      return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalStateException(
          file + " is not a JSON object of settings (fix or delete it): " + e.getMessage(), e);
    }
  }

  /** Saved settings overlaid with the given ones (given wins). */
  static Map<String, Object> merge(Map<String, Object> saved, Map<String, Object> given) {
    Map<String, Object> merged = new LinkedHashMap<>(saved);
    merged.putAll(given);
    return merged;
  }

  /** Writes the settings in effect ({@link #KEYS} only, sorted, values as text). */
  static Map<String, String> write(Path file, Function<String, Object> effective) {
    Map<String, String> kept = new TreeMap<>();
    for (String key : KEYS) {
      Object value = effective.apply(key);
      if (value != null && !value.toString().isBlank()) {
        kept.put(key, value.toString());
      }
    }
    try {
      Files.writeString(file, JSON.writeValueAsString(kept) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return kept;
  }
}
