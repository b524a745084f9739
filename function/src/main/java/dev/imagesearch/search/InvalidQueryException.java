package dev.imagesearch.search;

import dev.imagesearch.ImageSearchException;

/**
 * A query a user typed (or a page they asked for) that cannot be searched; the message is written
 * for that user and the web layer answers it with status 400.
 */
public class InvalidQueryException extends ImageSearchException {
  public InvalidQueryException(String message) {
    super(message);
  }
}
