package dev.imagesearch.search;

/**
 * One image of the collection: row i of the embedding matrix belongs to the i-th record.
 *
 * @param key the image's key below {@code images/} (and {@code thumbs/<key>.jpg} for its thumbnail)
 * @param width width in pixels of the original, after EXIF orientation
 * @param height height in pixels of the original, after EXIF orientation
 * @param sha256 hex sha256 of the original's bytes
 */
public record ImageRecord(String key, int width, int height, String sha256) {}
