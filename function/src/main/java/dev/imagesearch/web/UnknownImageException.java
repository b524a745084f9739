package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;

/** "More like this" asked for a key the live index does not have; {@link Router} answers 404. */
public final class UnknownImageException extends ImageSearchException {
  public UnknownImageException(String key) {
    super("no image with key '" + key + "' in the collection");
  }
}
