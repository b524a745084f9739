package dev.imagesearch.web;

/**
 * Where a query's time went, in milliseconds (also sent as {@code Server-Timing}).
 *
 * @param encodeMs tokenizing and encoding the text (0 when the embedding came from the cache)
 * @param scanMs scoring every image and keeping the top ones
 * @param totalMs the whole search, signing URLs included
 * @param cached whether the query embedding came from the cache
 */
public record Timings(double encodeMs, double scanMs, double totalMs, boolean cached) {}
