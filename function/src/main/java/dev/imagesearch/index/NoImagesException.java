package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;

/** The source holds no image files at all: a wrong path more likely than an empty collection. */
public final class NoImagesException extends ImageSearchException {
  public NoImagesException(String message) {
    super(message);
  }
}
