package dev.imagesearch.search;

import dev.imagesearch.ImageSearchException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The collection's embeddings in memory, one L2-normalized row per image, stored compactly off the
 * Java heap: each row is quantized to signed 8-bit codes ({@code round(x / (max|x| / 127))}) and
 * keeps one float, the inverse norm of its codes, so a score is the cosine between the query and
 * the dequantized row. 1,000,000 rows of 512 dimensions take 512 MB of direct memory plus 4 MB of
 * heap (the per-row factors).
 *
 * <p>Rows are laid out in blocks of {@value #BLOCK} rows, dimension-major inside a block ({@code
 * code(row, j)} at {@code j * BLOCK + row % BLOCK}). Scoring a block is then a loop over rows with
 * no reduction ({@code acc[r] += q[j] * code[j][r]}), which HotSpot's C2 compiles to SIMD
 * (AVX2/NEON) without the incubating Vector API: about 3x faster than a row-by-row dot product,
 * whose int or float reduction C2 does not vectorize. See {@code docs/benchmarks.md}.
 *
 * <p>Direct memory is capped by {@code -XX:MaxDirectMemorySize} (default: the max heap size), so a
 * large index needs that flag, e.g. {@code -Xmx256m -XX:MaxDirectMemorySize=640m} for 1,000,000 ×
 * 512 rows on a 1 GB machine.
 *
 * <pre>{@code
 * EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(2, 3);
 * b.add(new float[] {3, 0, 4}).add(new float[] {0, 1, 0});
 * EmbeddingMatrix m = b.build();
 * float[] first = m.row(0); // ~ {0.6, 0, 0.8}
 * }</pre>
 */
public final class EmbeddingMatrix {
  /** Rows per block: 64 int8 codes per dimension, one L1-sized 32 KB block at 512 dimensions. */
  static final int BLOCK = 64;

  /** Largest direct buffer: many small chunks make allocation and failure messages gentler. */
  private static final long MAX_CHUNK_BYTES = 64L << 20;

  private final int rows;
  private final int dim;
  private final ByteBuffer[] chunks;
  private final int blocksPerChunk;
  private final float[] invNorms;

  private EmbeddingMatrix(
      int rows, int dim, ByteBuffer[] chunks, int blocksPerChunk, float[] invNorms) {
    this.rows = rows;
    this.dim = dim;
    this.chunks = chunks;
    this.blocksPerChunk = blocksPerChunk;
    this.invNorms = invNorms;
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

  /** Bytes held off the Java heap (the int8 codes, padded to whole blocks). */
  public long offHeapBytes() {
    long total = 0;
    for (ByteBuffer c : chunks) total += c.capacity();
    return total;
  }

  /** Bytes held on the Java heap by the per-row factors. */
  public long heapBytes() {
    return 4L * invNorms.length;
  }

  /** A copy of row {@code i} as floats: the dequantized row, L2-normalized. */
  public float[] row(int i) {
    if (i < 0 || i >= rows) {
      throw new IndexOutOfBoundsException("row " + i + " is outside 0.." + (rows - 1));
    }
    ByteBuffer chunk = chunks[(i / BLOCK) / blocksPerChunk];
    int base = blockOffset(i / BLOCK) + i % BLOCK;
    float f = invNorms[i];
    float[] out = new float[dim];
    for (int j = 0; j < dim; j++) out[j] = chunk.get(base + j * BLOCK) * f;
    return out;
  }

  /** Number of blocks of {@value #BLOCK} rows (the last one may be partly padding). */
  int blocks() {
    return (rows + BLOCK - 1) / BLOCK;
  }

  /** Bytes of one block: {@code BLOCK * dim}, the size of the scratch {@link #scoreBlock} needs. */
  int blockBytes() {
    return BLOCK * dim;
  }

  /**
   * Writes the cosine of {@code query} with each row of {@code block} to {@code scores[0..BLOCK)};
   * padding rows score 0. {@code codes} is caller-owned scratch of {@link #blockBytes()} bytes: the
   * block is copied there from direct memory so the loop below works on a heap array, which C2
   * vectorizes (it does not vectorize direct-buffer reads on JDK 21).
   *
   * @param query unit-length query, {@code dim} values
   */
  void scoreBlock(int block, float[] query, float[] scores, byte[] codes) {
    chunks[block / blocksPerChunk].get(blockOffset(block), codes, 0, BLOCK * dim);
    Arrays.fill(scores, 0, BLOCK, 0f);
    int j = 0;
    // Four dimensions per pass: one load and store of the accumulators per four products.
    for (; j + 3 < dim; j += 4) {
      float q0 = query[j], q1 = query[j + 1], q2 = query[j + 2], q3 = query[j + 3];
      int o0 = j * BLOCK, o1 = o0 + BLOCK, o2 = o1 + BLOCK, o3 = o2 + BLOCK;
      for (int r = 0; r < BLOCK; r++) {
        scores[r] +=
            q0 * codes[o0 + r] + q1 * codes[o1 + r] + q2 * codes[o2 + r] + q3 * codes[o3 + r];
      }
    }
    for (; j < dim; j++) {
      float q0 = query[j];
      int o0 = j * BLOCK;
      for (int r = 0; r < BLOCK; r++) scores[r] += q0 * codes[o0 + r];
    }
    int first = block * BLOCK;
    for (int r = 0; r < BLOCK; r++) scores[r] *= invNorms[first + r];
  }

  private int blockOffset(int block) {
    return (block % blocksPerChunk) * BLOCK * dim;
  }

  /** Fills a matrix row by row, normalizing and quantizing each, one block buffered at a time. */
  public static final class Builder {
    private final int rows;
    private final int dim;
    private final ByteBuffer[] chunks;
    private final int blocksPerChunk;
    private final float[] invNorms;
    private final byte[] pending;
    private final double[] normalized;
    private int added;

    private Builder(int rows, int dim) {
      if (rows < 0 || dim < 1) {
        throw new IllegalArgumentException("a matrix needs rows >= 0 and dim >= 1, got " + rows);
      }
      this.rows = rows;
      this.dim = dim;
      long blockBytes = (long) BLOCK * dim;
      this.blocksPerChunk = (int) Math.max(1, MAX_CHUNK_BYTES / blockBytes);
      int blocks = (rows + BLOCK - 1) / BLOCK;
      this.chunks = new ByteBuffer[(blocks + blocksPerChunk - 1) / blocksPerChunk];
      for (int c = 0; c < chunks.length; c++) {
        int blocksHere = Math.min(blocksPerChunk, blocks - c * blocksPerChunk);
        chunks[c] = allocate(blocksHere * blockBytes, (long) blocks * blockBytes);
      }
      this.invNorms = new float[blocks * BLOCK];
      this.pending = new byte[(int) blockBytes];
      this.normalized = new double[dim];
    }

    private static ByteBuffer allocate(long bytes, long totalBytes) {
      try {
        return ByteBuffer.allocateDirect((int) bytes);
      } catch (OutOfMemoryError e) {
        throw new ImageSearchException(
            "cannot reserve "
                + (totalBytes >> 20)
                + " MB of direct memory for the embedding matrix; start the JVM with a larger"
                + " -XX:MaxDirectMemorySize (it defaults to the max heap size)",
            e);
      }
    }

    /** Adds the next row; it is L2-normalized and quantized here, the array is not kept. */
    public Builder add(float[] row) {
      if (row.length != dim) {
        throw new IllegalArgumentException("row has " + row.length + " values, expected " + dim);
      }
      if (added == rows) {
        throw new IllegalStateException("matrix is full: it was sized for " + rows + " rows");
      }
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        if (!Float.isFinite(row[j])) {
          throw new IllegalArgumentException(
              "row " + added + " has a non-finite value at position " + j + ": " + row[j]);
        }
        norm += (double) row[j] * row[j];
      }
      double inv = norm == 0 ? 0 : 1 / Math.sqrt(norm);
      double maxAbs = 0;
      for (int j = 0; j < dim; j++) {
        normalized[j] = row[j] * inv;
        maxAbs = Math.max(maxAbs, Math.abs(normalized[j]));
      }
      double toCode = maxAbs == 0 ? 0 : 127 / maxAbs;
      int inBlock = added % BLOCK;
      long codeNormSq = 0;
      for (int j = 0; j < dim; j++) {
        int code = (int) Math.round(normalized[j] * toCode);
        pending[j * BLOCK + inBlock] = (byte) code;
        codeNormSq += (long) code * code;
      }
      // Scores use the codes' own norm, so a score is the cosine with the dequantized row.
      invNorms[added] = codeNormSq == 0 ? 0f : (float) (1 / Math.sqrt(codeNormSq));
      added++;
      if (added % BLOCK == 0) flush((added - 1) / BLOCK);
      return this;
    }

    private void flush(int block) {
      chunks[block / blocksPerChunk].put((block % blocksPerChunk) * pending.length, pending);
      Arrays.fill(pending, (byte) 0);
    }

    public EmbeddingMatrix build() {
      if (added != rows) {
        throw new IllegalStateException("matrix has " + added + " rows, expected " + rows);
      }
      if (added % BLOCK != 0) flush(added / BLOCK);
      return new EmbeddingMatrix(rows, dim, chunks, blocksPerChunk, invNorms);
    }
  }
}
