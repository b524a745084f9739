package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.store.BlobStores;
import dev.imagesearch.store.ModelFetcher;
import dev.imagesearch.store.StoreConfig;
import dev.imagesearch.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the model directory is: a local folder as given, or {@code
 * s3://bucket/[prefix/]models/<name>/} fetched into temporary storage (on Lambda, {@code /tmp}) by
 * {@link ModelFetcher}, since ONNX Runtime and the tokenizer need files; reused at the next start
 * while the bucket holds the same files (ETags).
 */
final class ModelLocation {
  private static final String MODELS = "models/";

  private ModelLocation() {}

  static Path resolve(String location, StoreConfig storeConfig) {
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
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "image-search-models");
    return ModelFetcher.fetch(BlobStores.create(root), name, cache);
  }
}
