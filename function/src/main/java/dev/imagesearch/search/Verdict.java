package dev.imagesearch.search;

/**
 * How well the collection as a whole answers a query, judged by how far its best image stands above
 * the crowd (see {@link RelevanceThresholds}).
 */
public enum Verdict {
  /** The best images stand far above the rest: the collection has what was asked for. */
  STRONG,
  /** Something stands out a little: the closest images may or may not be what was asked for. */
  WEAK,
  /** Nothing stands out more than chance would make it: these are just the closest images. */
  NONE
}
