package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;

/**
 * A store that failed, with what kind of failure it was, so callers can act on it without reading
 * the message: the {@link IndexWatcher} retries a {@link Kind#TRANSIENT} failure soon (with
 * backoff) and reports the others in {@code /readyz} with the setting to fix. The kind comes from
 * the SDK's exception types and HTTP status codes ({@code S3Errors}), never from message text.
 */
public final class StoreException extends ImageSearchException {
  /** What kind of failure, and so what helps. */
  public enum Kind {
    /** Network trouble, a timeout, throttling or a 5xx: trying again later may work. */
    TRANSIENT,
    /** The object does not exist. */
    NOT_FOUND,
    /** Credentials missing, wrong, or not allowed: fix the credentials or the bucket policy. */
    ACCESS,
    /** A setting is wrong (bucket name, region): fix the configuration. */
    CONFIGURATION
  }

  private final Kind kind;

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
