package dev.imagesearch.store;

/**
 * The collection's key layout, in one place: originals under {@code images/}, thumbnails under
 * {@code thumbs/} as {@code <key>.jpg}. The indexer writes with these names and the web layer links
 * to them, so the two cannot disagree.
 *
 * <pre>{@code
 * ObjectKeys.original("cat.png")  // images/cat.png
 * ObjectKeys.thumbnail("cat.png") // thumbs/cat.png.jpg
 * }</pre>
 */
public final class ObjectKeys {
  /** Prefix of the originals. */
  public static final String IMAGES = "images/";

  /** Prefix of the thumbnails. */
  public static final String THUMBS = "thumbs/";

  private ObjectKeys() {}

  /** The store key of the original of image {@code key}. */
  public static String original(String key) {
    return IMAGES + key;
  }

  /** The store key of the thumbnail of image {@code key} (always JPEG). */
  public static String thumbnail(String key) {
    return THUMBS + key + ".jpg";
  }

  /** Whether a store key is an original or a thumbnail (what the local file route may serve). */
  public static boolean isImageOrThumbnail(String storeKey) {
    return storeKey.startsWith(IMAGES) || storeKey.startsWith(THUMBS);
  }
}
