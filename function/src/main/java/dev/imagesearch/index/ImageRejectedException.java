package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;

/**
 * A file the indexer will not index, with the reason a person reads in {@code skipped.jsonl}
 * ("empty file (0 bytes)", "truncated or corrupt: ..."). Never stops a run.
 */
public final class ImageRejectedException extends ImageSearchException {
  public ImageRejectedException(String reason) {
    super(reason);
  }
}
