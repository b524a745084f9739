package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Brings a model directory stored below {@code models/<name>/} to local disk (Lambda and EC2 fetch
 * the model from the bucket at start; ONNX Runtime and the tokenizer need files). A marker file
 * written last lists every key with its ETag: a later start reuses the local copy only while the
 * store still holds exactly those files, so a model replaced in the bucket is fetched again, and an
 * interrupted fetch is redone, never half used. A new copy is assembled beside the old one and
 * swapped in whole. When the store cannot be reached, a complete earlier copy is used (with a
 * note), so an outage does not stop a restart. A local store's model folder is used where it is,
 * without copying.
 *
 * <p>Only what serving reads is fetched ({@link #servingFiles}): the tokenizer, the JSON configs
 * and one text tower (int8 when the folder has it, else fp32). The vision tower, which only the
 * indexer needs, and the folder's other precision variants stay in the bucket: on EC2 they would
 * fill the disk cache, on Lambda the snapshot.
 *
 * <pre>{@code
 * Path modelDir = ModelFetcher.fetch(store, "clip-vit-base-patch32", Path.of("/tmp/models"));
 * }</pre>
 */
public final class ModelFetcher {
  static final String COMPLETE = ".fetched";
  private static final String ONNX = "onnx/";

  /** The public exports' precision variants of the text tower (Xenova's naming). */
  private static final String TEXT_VARIANT =
      "text_model(_quantized|_fp16|_int8|_uint8|_q4|_q4f16|_bnb4)?\\.onnx";

  private ModelFetcher() {}

  /**
   * The local directory holding the model {@code name}, downloaded below {@code cache} unless the
   * copy there is the store's current one.
   */
  public static Path fetch(BlobStore store, String name, Path cache) {
    String prefix = "models/" + Keys.check(name) + "/";
    if (store instanceof LocalBlobStore local) {
      Path dir = local.pathOf("models/" + name);
      if (!Files.isDirectory(dir)) {
        throw new ImageSearchException("no model directory " + dir);
      }
      return dir;
    }
    Path target = cache.resolve(name);
    Path marker = target.resolve(COMPLETE);
    List<String> keys;
    String inventory;
    try {
      keys = servingFiles(prefix, store.list(prefix));
      inventory = inventory(store, keys);
    } catch (RuntimeException e) {
      if (Files.exists(marker)) {
        System.err.println(
            "image-search: cannot check model '"
                + name
                + "' in "
                + store.describe()
                + " ("
                + e.getMessage()
                + "); using the copy fetched earlier in "
                + target);
        return target;
      }
      throw e;
    }
    if (keys.isEmpty()) {
      throw new ImageSearchException(
          "no model '" + name + "' in " + store.describe() + " (nothing below " + prefix + ")");
    }
    try {
      if (Files.exists(marker) && Files.readString(marker).equals(inventory)) {
        return target;
      }
      Files.createDirectories(cache);
      Path staging = cache.resolve(name + ".fetching-" + UUID.randomUUID());
      try {
        download(store, prefix, keys, staging);
        Files.writeString(staging.resolve(COMPLETE), inventory);
        replace(target, staging, cache.resolve(name + ".old-" + UUID.randomUUID()));
      } finally {
        deleteTree(staging); // left only when the fetch failed part way
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ImageSearchException(
          "cannot fetch model '"
              + name
              + "' from "
              + store.describe()
              + " to "
              + target
              + ": "
              + e.getMessage(),
          e);
    }
    return target;
  }

  /**
   * The keys below {@code prefix} that serving reads: everything outside {@code onnx/}, and in
   * {@code onnx/} only the text tower {@code ModelDirectory} picks ({@code
   * text_model_quantized.onnx} when present, else {@code text_model.onnx}) plus any other text
   * tower not named as a precision variant of that one (a second language's tower). Vision towers,
   * combined {@code model*.onnx} exports and the text tower's unused variants ({@code _fp16},
   * {@code _q4}, ...) are skipped.
   */
  static List<String> servingFiles(String prefix, List<String> keys) {
    boolean quantized = keys.contains(prefix + ONNX + "text_model_quantized.onnx");
    String chosen = prefix + ONNX + (quantized ? "text_model_quantized.onnx" : "text_model.onnx");
    return keys.stream()
        .filter(
            key -> {
              String name = key.substring(prefix.length());
              if (!name.startsWith(ONNX)) {
                return true;
              }
              String file = name.substring(ONNX.length());
              if (file.startsWith("vision_model") || file.matches("model(_\\w+)?\\.onnx")) {
                return false;
              }
              return key.equals(chosen) || !file.matches(TEXT_VARIANT);
            })
        .toList();
  }

  /** One line per key with its ETag: what the local copy must match to be reused. */
  private static String inventory(BlobStore store, List<String> keys) {
    StringBuilder out = new StringBuilder();
    for (String key : keys) {
      out.append(key).append('\t').append(store.tag(key).orElse("")).append('\n');
    }
    return out.toString();
  }

  private static void download(BlobStore store, String prefix, List<String> keys, Path staging)
      throws IOException {
    Files.createDirectories(staging);
    for (String key : keys) {
      Path file = staging.resolve(key.substring(prefix.length())).normalize();
      if (!file.startsWith(staging)) {
        throw new ImageSearchException("model file key '" + key + "' leaves " + staging);
      }
      Files.createDirectories(file.getParent());
      try (InputStream in = store.open(key)) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Puts the complete {@code staging} copy where {@code target} was; the old copy is removed. */
  private static void replace(Path target, Path staging, Path old) throws IOException {
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(old);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
