package dev.imagesearch.search;

import dev.imagesearch.ImageSearchException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * The collection's embeddings in memory, one L2-normalized row per image, stored compactly off the
 * Java heap as scaled integer codes: each row becomes {@code round(x * L / max|x|)} with {@code L =
 * 127} ({@link Precision#INT8}) or {@code 32767} ({@link Precision#INT16}), plus one float on the
 * heap, the inverse norm of its codes, so a score is the exact cosine between the query and the
 * dequantized row.
 *
 * <p>Which precision: INT16 ranks like float32 (recall@10 0.999+ on random 512-d rows) at half its
 * size; INT8 halves that again but swaps a neighbour at the 10th place now and then (recall@10
 * about 0.985 on random Gaussian rows, the worst case). {@link #builder(int, int)} therefore uses
 * INT16 while the codes fit {@value #INT16_BUDGET_MB} MB (262,144 rows at 512-d) and INT8 beyond,
 * so 1,000,000 × 512 rows take 512 MB of direct memory and 4 MB of heap and fit a 1 GB machine.
 * Measurements: {@code docs/benchmarks.md}.
 *
 * <p>Rows are laid out in blocks of {@value #BLOCK} rows, dimension-major inside a block ({@code
 * code(row, j)} at {@code j * BLOCK + row % BLOCK}). Scoring a block is then a loop over rows with
 * no reduction ({@code acc[r] += q[j] * code[j][r]}), which HotSpot's C2 compiles to SIMD
 * (AVX2/NEON) without the incubating Vector API: about 3x faster than a row-by-row dot product,
 * whose reduction C2 does not vectorize.
 *
 * <p>Direct memory is capped by {@code -XX:MaxDirectMemorySize} (default: the max heap size), so a
 * large index needs that flag, e.g. {@code -Xmx128m -XX:MaxDirectMemorySize=512m} for 1,000,000 ×
 * 512 rows on a 1 GB machine.
 *
 * <pre>{@code
 * EmbeddingMatrix m = EmbeddingMatrix.builder(2, 3)
 *     .add(new float[] {3, 0, 4})
 *     .add(new float[] {0, 1, 0})
 *     .build();
 * float[] first = m.row(0); // ~ {0.6, 0, 0.8}
 * }</pre>
 */
public final class EmbeddingMatrix {
  /** Rows per block: one block of int8 codes is 32 KB at 512 dimensions, it stays in L1/L2. */
  static final int BLOCK = 64;

  /** Largest code size for which {@link #builder(int, int)} picks {@link Precision#INT16}. */
  public static final int INT16_BUDGET_MB = 256;

  /** Largest direct buffer; a matrix is a few of them. */
  private static final long MAX_CHUNK_BYTES = 64L << 20;

  /** How many bits each value keeps. */
  public enum Precision {
    /** Signed 8-bit codes, 1 byte per value. */
    INT8(1, 127),
    /** Signed 16-bit codes, 2 bytes per value. */
    INT16(2, 32767);

    final int bytes;
    final int maxCode;

    Precision(int bytes, int maxCode) {
      this.bytes = bytes;
      this.maxCode = maxCode;
    }

    /** INT16 when {@code rows × dim} codes fit {@value #INT16_BUDGET_MB} MB, else INT8. */
    public static Precision forSize(int rows, int dim) {
      return 2L * rows * dim <= ((long) INT16_BUDGET_MB << 20) ? INT16 : INT8;
    }
  }

  private final int rows;
  private final int dim;
  private final Precision precision;
  private final ByteBuffer[] chunks;
  private final ShortBuffer[] shortChunks;
  private final MemorySegment[] segments;
  private final int blocksPerChunk;
  private final float[] invNorms;

  private EmbeddingMatrix(Builder b) {
    this.rows = b.rows;
    this.dim = b.dim;
    this.precision = b.precision;
    this.chunks = b.chunks;
    this.shortChunks = b.shortChunks;
    this.segments = new MemorySegment[chunks.length];
    for (int c = 0; c < chunks.length; c++) segments[c] = MemorySegment.ofBuffer(chunks[c]);
    this.blocksPerChunk = b.blocksPerChunk;
    this.invNorms = b.invNorms;
  }

  /**
   * Starts a matrix of exactly {@code rows} rows of {@code dim} values, in the precision {@link
   * Precision#forSize} picks; rows are added in order.
   */
  public static Builder builder(int rows, int dim) {
    return new Builder(rows, dim, Precision.forSize(rows, dim));
  }

  /** Starts a matrix with an explicit precision. */
  public static Builder builder(int rows, int dim, Precision precision) {
    return new Builder(rows, dim, precision);
  }

  public int rows() {
    return rows;
  }

  public int dim() {
    return dim;
  }

  public Precision precision() {
    return precision;
  }

  /** Bytes held off the Java heap (the codes, padded to whole blocks). */
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
    int chunk = (i / BLOCK) / blocksPerChunk;
    int base = valueOffset(i / BLOCK) + i % BLOCK;
    float f = invNorms[i];
    float[] out = new float[dim];
    for (int j = 0; j < dim; j++) {
      int code =
          precision == Precision.INT8
              ? chunks[chunk].get(base + j * BLOCK)
              : shortChunks[chunk].get(base + j * BLOCK);
      out[j] = code * f;
    }
    return out;
  }

  /** Number of blocks of {@value #BLOCK} rows (the last one may be partly padding). */
  int blocks() {
    return (rows + BLOCK - 1) / BLOCK;
  }

  /**
   * Writes the cosine of {@code query} with each row of {@code block} to {@code
   * scratch.scores[0..BLOCK)} and their sum, sum of squares, minimum and maximum to {@code
   * scratch.summary} ({@link ScanKernel#finish}); padding rows score 0 and count in the summary, so
   * it describes the block's rows only when the block is full. The kernel reads the codes in place.
   *
   * @param query unit-length query of {@code dim} values
   * @param kernel the inner loop
   */
  void scoreBlock(int block, float[] query, Scratch scratch, ScanKernel kernel) {
    int chunk = block / blocksPerChunk;
    float[] scores = scratch.scores;
    Arrays.fill(scores, 0f);
    long offset = (long) valueOffset(block) * precision.bytes;
    if (precision == Precision.INT8) {
      kernel.accumulateInt8(query, segments[chunk], offset, scores, dim);
    } else {
      kernel.accumulateInt16(query, segments[chunk], offset, scores, dim);
    }
    kernel.finish(scores, invNorms, block * BLOCK, scratch.summary);
  }

  /** Offset of a block inside its chunk, in values (codes). */
  private int valueOffset(int block) {
    return (block % blocksPerChunk) * BLOCK * dim;
  }

  /** Per-thread buffers for {@link #scoreBlock}, reused across queries. */
  static final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    final float[] scores = new float[BLOCK];
    final float[] summary = new float[ScanKernel.SUMMARY];

    static Scratch local() {
      return LOCAL.get();
    }
  }

  /** Fills a matrix row by row, normalizing and quantizing each, one block buffered at a time. */
  public static final class Builder {
    private final int rows;
    private final int dim;
    private final Precision precision;
    private final ByteBuffer[] chunks;
    private final ShortBuffer[] shortChunks;
    private final int blocksPerChunk;
    private final float[] invNorms;
    private final byte[] pendingBytes;
    private final short[] pendingShorts;
    private final double[] normalized;
    private int added;

    private Builder(int rows, int dim, Precision precision) {
      if (rows < 0 || dim < 1) {
        throw new IllegalArgumentException(
            "a matrix needs rows >= 0 and dim >= 1, got " + rows + " x " + dim);
      }
      this.rows = rows;
      this.dim = dim;
      this.precision = precision;
      long blockBytes = (long) BLOCK * dim * precision.bytes;
      this.blocksPerChunk = (int) Math.max(1, MAX_CHUNK_BYTES / blockBytes);
      int blocks = (rows + BLOCK - 1) / BLOCK;
      this.chunks = new ByteBuffer[(blocks + blocksPerChunk - 1) / blocksPerChunk];
      this.shortChunks = new ShortBuffer[chunks.length];
      for (int c = 0; c < chunks.length; c++) {
        int blocksHere = Math.min(blocksPerChunk, blocks - c * blocksPerChunk);
        chunks[c] = allocate(blocksHere * blockBytes, blocks * blockBytes);
        shortChunks[c] = chunks[c].asShortBuffer();
      }
      this.invNorms = new float[blocks * BLOCK];
      boolean int8 = precision == Precision.INT8;
      this.pendingBytes = new byte[int8 ? BLOCK * dim : 0];
      this.pendingShorts = new short[int8 ? 0 : BLOCK * dim];
      this.normalized = new double[dim];
    }

    private static ByteBuffer allocate(long bytes, long totalBytes) {
      try {
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
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
      double toCode = maxAbs == 0 ? 0 : precision.maxCode / maxAbs;
      int inBlock = added % BLOCK;
      long codeNormSq = 0;
      for (int j = 0; j < dim; j++) {
        int code = (int) Math.round(normalized[j] * toCode);
        if (precision == Precision.INT8) pendingBytes[j * BLOCK + inBlock] = (byte) code;
        else pendingShorts[j * BLOCK + inBlock] = (short) code;
        codeNormSq += (long) code * code;
      }
      // Scores use the codes' own norm, so a score is the cosine with the dequantized row.
      invNorms[added] = codeNormSq == 0 ? 0f : (float) (1 / Math.sqrt(codeNormSq));
      added++;
      if (added % BLOCK == 0) flush((added - 1) / BLOCK);
      return this;
    }

    private void flush(int block) {
      int chunk = block / blocksPerChunk;
      int offset = (block % blocksPerChunk) * BLOCK * dim;
      if (precision == Precision.INT8) {
        chunks[chunk].put(offset, pendingBytes);
        Arrays.fill(pendingBytes, (byte) 0);
      } else {
        shortChunks[chunk].put(offset, pendingShorts);
        Arrays.fill(pendingShorts, (short) 0);
      }
    }

    public EmbeddingMatrix build() {
      if (added != rows) {
        throw new IllegalStateException("matrix has " + added + " rows, expected " + rows);
      }
      if (added % BLOCK != 0) flush(added / BLOCK);
      return new EmbeddingMatrix(this);
    }
  }
}
