package dev.imagesearch.web;

/**
 * One hit as the JSON API and the page show it.
 *
 * @param rank 1-based position in the whole ranking
 * @param key the image's key
 * @param score cosine similarity between query and image
 * @param relevance how many standard deviations the score stands above the collection's mean
 * @param thumbnailUrl signed URL of the thumbnail
 * @param url signed URL of the original
 * @param width original width in pixels
 * @param height original height in pixels
 */
public record HitView(
    int rank,
    String key,
    double score,
    double relevance,
    String thumbnailUrl,
    String url,
    int width,
    int height) {}
