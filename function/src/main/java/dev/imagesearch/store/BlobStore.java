package dev.imagesearch.store;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the collection's bytes live: a local folder or an S3 bucket (prefix). Keys are relative
 * paths such as {@code images/cat.jpg} or {@code index/CURRENT}. The handler and the indexer only
 * see this interface, so they do not know which store they have.
 */
public interface BlobStore {
  /**
   * Opens the object for reading; throws {@link dev.imagesearch.ImageSearchException} naming the
   * key when absent.
   */
  InputStream open(String key);

  /** The whole object, or empty when it does not exist. */
  Optional<byte[]> readIfExists(String key);

  /** Writes (replaces) the object from bytes. */
  void write(String key, byte[] bytes);

  /** Writes (replaces) the object from a local file (multipart for large files on S3). */
  void write(String key, Path file);

  /** A cheap change tag (ETag, or size+mtime locally), or empty when the object does not exist. */
  Optional<String> tag(String key);

  /** Keys below {@code prefix}, in lexical order. */
  List<String> list(String prefix);

  /** Deletes the object; absent objects are ignored. */
  void delete(String key);

  /** A URL a browser can fetch the object from until {@code ttl} has passed. */
  URI signedUrl(String key, Duration ttl);

  /** Human-readable location for logs and errors, e.g. {@code s3://bucket/prefix} or a path. */
  String describe();

  /**
   * Drops pooled connections and cached credentials so the next request starts afresh (after a
   * SnapStart restore). Stores without connections do nothing.
   */
  default void reconnect() {}
}
