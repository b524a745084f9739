package dev.imagesearch.search;

/** What a query embedding came from: a text (or text algebra) or an image of the collection. */
public enum QueryKind {
  TEXT,
  IMAGE
}
