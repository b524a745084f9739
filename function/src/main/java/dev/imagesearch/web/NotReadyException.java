package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;

/**
 * The service cannot answer a search yet: the model cannot be loaded or no index is live. {@link
 * Router} answers 503 with the message, which says what is missing.
 */
public final class NotReadyException extends ImageSearchException {
  public NotReadyException(String message) {
    super(message);
  }
}
