package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.BlobStores;
import dev.imagesearch.store.StoreConfig;
import dev.imagesearch.store.StoreLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the model directory is: a local folder as given, or {@code s3://bucket/models/name/} copied
 * once into temporary storage (on Lambda, {@code /tmp}) so ONNX Runtime can map it.
 */
final class ModelLocation {
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
    StoreConfig modelStore =
        new StoreConfig(
            s3,
            storeConfig.endpoint(),
            storeConfig.region(),
            storeConfig.urlTtl(),
            storeConfig.urlKey(),
            storeConfig.filesPath(),
            storeConfig.indexPoll(),
            storeConfig.keepVersions());
    BlobStore store = BlobStores.create(modelStore);
    try {
      Path target = Files.createTempDirectory("image-search-model");
      for (String key : store.list("")) {
        Path file = target.resolve(key).normalize();
        if (!file.startsWith(target)) {
          continue;
        }
        Files.createDirectories(file.getParent());
        try (InputStream in = store.open(key)) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return target;
    } catch (IOException e) {
      throw new ImageSearchException(
          "cannot copy the model from " + location + ": " + e.getMessage(), e);
    }
  }
}
