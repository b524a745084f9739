package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Brings a model directory stored below {@code models/<name>/} to local disk once (Lambda and EC2
 * fetch the model from the bucket at start; ONNX Runtime and the tokenizer need files). A marker
 * file written last means "complete", so an interrupted fetch is redone, never half used. A local
 * store's model folder is used where it is, without copying.
 *
 * <pre>{@code
 * Path modelDir = ModelFetcher.fetch(store, "clip-vit-base-patch32", Path.of("/tmp/models"));
 * }</pre>
 */
public final class ModelFetcher {
  static final String COMPLETE = ".fetched";

  private ModelFetcher() {}

  /**
   * The local directory holding the model {@code name}, downloaded below {@code cache} if needed.
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
    if (Files.exists(target.resolve(COMPLETE))) {
      return target;
    }
    List<String> keys = store.list(prefix);
    if (keys.isEmpty()) {
      throw new ImageSearchException(
          "no model '" + name + "' in " + store.describe() + " (nothing below " + prefix + ")");
    }
    try {
      Files.createDirectories(target);
      for (String key : keys) {
        Path file = target.resolve(key.substring(prefix.length())).normalize();
        if (!file.startsWith(target)) {
          throw new ImageSearchException("model file key '" + key + "' leaves " + target);
        }
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".download-", ".tmp");
        try (InputStream in = store.open(key)) {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      Files.writeString(target.resolve(COMPLETE), String.join("\n", keys) + "\n");
    } catch (IOException e) {
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
}
