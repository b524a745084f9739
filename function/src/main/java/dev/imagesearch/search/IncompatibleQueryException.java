package dev.imagesearch.search;

import dev.imagesearch.ImageSearchException;

/**
 * A query embedding that does not fit the index: another dimension than its rows, or no direction
 * at all (zero or not finite). Not the user's fault: the serving model and the live index disagree,
 * so the web layer answers 503 (the service cannot answer until the index is rebuilt with this
 * model) with this message.
 */
public final class IncompatibleQueryException extends ImageSearchException {
  public IncompatibleQueryException(String message) {
    super(message);
  }
}
