package dev.imagesearch.search;

/**
 * How unrelated queries of one kind (texts through one text tower, or images) score against this
 * collection: their best cosine, and their spread (best cosine minus the mean cosine over the
 * collection: how far the best image stands from the crowd).
 *
 * @param best best cosine of each unrelated query
 * @param spread best minus mean cosine of each unrelated query
 */
public record QueryNull(NullSample best, NullSample spread) {}
