package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.store.BlobStores;
import dev.imagesearch.store.ModelFetcher;
import dev.imagesearch.store.StoreConfig;
import dev.imagesearch.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the model directory is: a local folder as given, or {@code
 * s3://bucket/[prefix/]models/<name>/} fetched by {@link ModelFetcher} (the text tower only) into a
 * disk cache ({@link #cacheDirectory}), since ONNX Runtime and the tokenizer need files; reused at
 * the next start while the bucket holds the same files (ETags). On EC2 the cache is systemd's
 * {@code CacheDirectory=} on disk, not the unit's private {@code /tmp}, which is RAM (tmpfs)
 * counted against {@code MemoryMax} and emptied at every restart.
 */
final class ModelLocation {
  private static final String MODELS = "models/";

  private ModelLocation() {}

  /** The model cache folder for this environment (see {@link AppConfig#modelCache()}). */
  static Path cacheDirectory(Map<String, String> env) {
    String explicit = env.get("IMAGE_SEARCH_MODEL_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit.trim());
    }
    String systemd = env.get("CACHE_DIRECTORY"); // colon-separated when a unit names several
    if (systemd != null && !systemd.isBlank()) {
      return Path.of(systemd.split(":")[0]).resolve("models");
    }
    if (env.containsKey("AWS_LAMBDA_FUNCTION_NAME")) {
      return Path.of("/tmp/image-search-models"); // the only writable folder on Lambda
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("image-search").resolve("models");
  }

  /**
   * Where the text towers' optimised graphs are kept ({@link AppConfig#optimizedGraphs()}): in the
   * model cache, except on Lambda.
   */
  static Optional<Path> optimizedGraphs(Map<String, String> env) {
    return env.containsKey("AWS_LAMBDA_FUNCTION_NAME")
        ? Optional.empty()
        : Optional.of(cacheDirectory(env).resolve("onnx-optimized"));
  }

  static Path resolve(String location, StoreConfig storeConfig, Path cache) {
    if (!location.startsWith("s3://")) {
      Path dir = Path.of(location);
      if (!Files.isDirectory(dir)) {
        throw new ImageSearchException("IMAGE_SEARCH_MODEL=" + location + " is not a directory");
      }
      return dir;
    }
    StoreLocation.S3 s3 = (StoreLocation.S3) StoreLocation.parse(location, "IMAGE_SEARCH_MODEL");
    String prefix = s3.prefix().endsWith("/") ? s3.prefix() : s3.prefix() + "/";
    int at = prefix.lastIndexOf(MODELS);
    String name = at < 0 ? "" : prefix.substring(at + MODELS.length(), prefix.length() - 1);
    if (name.isEmpty() || name.contains("/")) {
      throw new ImageSearchException(
          "IMAGE_SEARCH_MODEL=" + location + " must look like s3://bucket/models/<name>/");
    }
    StoreConfig root =
        new StoreConfig(
            new StoreLocation.S3(s3.bucket(), prefix.substring(0, at)),
            storeConfig.endpoint(),
            storeConfig.region(),
            storeConfig.urlTtl(),
            storeConfig.urlKey(),
            storeConfig.filesPath(),
            storeConfig.indexPoll(),
            storeConfig.keepVersions());
    return ModelFetcher.fetch(BlobStores.create(root), name, cache);
  }
}
