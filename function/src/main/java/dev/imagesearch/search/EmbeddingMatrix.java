package dev.imagesearch.search;

/**
 * The collection's embeddings in memory, one L2-normalized row per image.
 *
 * <p>PLACEHOLDER implementation (float32 on heap); the search core replaces the storage with a
 * compact form but keeps this API: {@link #builder}, {@link Builder#add}, {@link Builder#build},
 * {@link #rows}, {@link #dim}, {@link #row}.
 */
public final class EmbeddingMatrix {
  private final int rows;
  private final int dim;
  private final float[] data;

  private EmbeddingMatrix(int rows, int dim, float[] data) {
    this.rows = rows;
    this.dim = dim;
    this.data = data;
  }

  /**
   * Starts a matrix of exactly {@code rows} rows of {@code dim} values; rows are added in order.
   */
  public static Builder builder(int rows, int dim) {
    return new Builder(rows, dim);
  }

  public int rows() {
    return rows;
  }

  public int dim() {
    return dim;
  }

  /** A copy of row {@code i} as floats (L2-normalized). */
  public float[] row(int i) {
    float[] out = new float[dim];
    System.arraycopy(data, i * dim, out, 0, dim);
    return out;
  }

  /** Fills a matrix row by row, normalizing each, so a loader never holds a second full copy. */
  public static final class Builder {
    private final int rows;
    private final int dim;
    private final float[] data;
    private int added;

    private Builder(int rows, int dim) {
      this.rows = rows;
      this.dim = dim;
      this.data = new float[rows * dim];
    }

    public Builder add(float[] row) {
      if (row.length != dim) {
        throw new IllegalArgumentException("row has " + row.length + " values, expected " + dim);
      }
      double norm = 0;
      for (float v : row) norm += v * v;
      float inv = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < dim; j++) data[added * dim + j] = row[j] * inv;
      added++;
      return this;
    }

    public EmbeddingMatrix build() {
      if (added != rows) {
        throw new IllegalStateException("matrix has " + added + " rows, expected " + rows);
      }
      return new EmbeddingMatrix(rows, dim, data);
    }
  }
}
