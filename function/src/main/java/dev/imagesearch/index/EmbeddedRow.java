package dev.imagesearch.index;

/**
 * One embedded image as the indexer keeps it between runs: where it came from, its size after EXIF
 * orientation, and its L2-normalized embedding already rounded to float16 (the precision the index
 * stores, so keeping it costs nothing and a resumed run writes exactly the same bytes).
 *
 * <p>A class rather than a record: it holds an array, and nobody compares rows by content.
 */
public final class EmbeddedRow {
  private final String key;
  private final String sha256;
  private final int width;
  private final int height;
  private final short[] half;

  public EmbeddedRow(String key, String sha256, int width, int height, short[] half) {
    this.key = key;
    this.sha256 = sha256;
    this.width = width;
    this.height = height;
    this.half = half;
  }

  /** A row from a float embedding, rounded to float16. */
  public static EmbeddedRow of(String key, String sha256, int width, int height, float[] v) {
    short[] half = new short[v.length];
    for (int i = 0; i < v.length; i++) {
      half[i] = Float.floatToFloat16(v[i]);
    }
    return new EmbeddedRow(key, sha256, width, height, half);
  }

  public String key() {
    return key;
  }

  public String sha256() {
    return sha256;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int dim() {
    return half.length;
  }

  /** The raw float16 bits (shared, do not modify). */
  short[] half() {
    return half;
  }

  /** The embedding as floats (exactly the float16 values). */
  public float[] floats() {
    float[] out = new float[half.length];
    for (int i = 0; i < half.length; i++) {
      out[i] = Float.float16ToFloat(half[i]);
    }
    return out;
  }

  /** The same embedding under another key (the same content found under a new name). */
  EmbeddedRow withKey(String newKey) {
    return new EmbeddedRow(newKey, sha256, width, height, half);
  }
}
