package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.nio.charset.StandardCharsets;

/**
 * Creates the store a {@link StoreConfig} names: an {@link S3BlobStore} for {@code s3://...}, a
 * {@link LocalBlobStore} (with its URL signer) for a folder.
 *
 * <pre>{@code
 * BlobStore store = BlobStores.create(StoreConfig.fromEnv(System.getenv()));
 * }</pre>
 */
public final class BlobStores {
  private BlobStores() {}

  public static BlobStore create(StoreConfig config) {
    return switch (config.location()) {
      case StoreLocation.S3 s3 ->
          S3BlobStore.create(
              s3,
              config.endpoint(),
              config.region().orElseThrow()); // StoreConfig.fromEnv requires a region for S3
      case StoreLocation.Local local -> local(local, config);
    };
  }

  /**
   * The store of a local folder, signing links for the app's file route with the configured key, or
   * else with the key kept in the folder's {@code .url-signing-key} ({@link UrlSigningKey}).
   */
  public static LocalBlobStore local(StoreLocation.Local location, StoreConfig config) {
    if (config.urlKey().isPresent()) {
      return new LocalBlobStore(location.root(), signer(config));
    }
    UrlSigner signer;
    try {
      signer =
          new UrlSigner(
              UrlSigningKey.loadOrCreate(location.root().resolve(".url-signing-key")),
              config.filesPath());
    } catch (ImageSearchException e) {
      // A read-only folder: links then last as long as the process.
      System.getLogger(BlobStores.class.getName())
          .log(System.Logger.Level.WARNING, e.getMessage() + "; using a key for this process only");
      signer = UrlSigner.withRandomKey(config.filesPath());
    }
    return new LocalBlobStore(location.root(), signer);
  }

  /** The local link signer: the configured key, or a random one per process. */
  public static UrlSigner signer(StoreConfig config) {
    return config
        .urlKey()
        .map(k -> new UrlSigner(k.getBytes(StandardCharsets.UTF_8), config.filesPath()))
        .orElseGet(() -> UrlSigner.withRandomKey(config.filesPath()));
  }
}
