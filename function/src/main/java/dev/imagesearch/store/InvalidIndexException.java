package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;

/**
 * The content of an index version is wrong (bad hash, truncated or malformed file, another model):
 * retrying will not help until someone publishes a new version. Store failures (cannot connect,
 * access denied) stay plain {@link ImageSearchException}s, which the {@link IndexWatcher} retries.
 */
public class InvalidIndexException extends ImageSearchException {
  public InvalidIndexException(String message) {
    super(message);
  }

  public InvalidIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
