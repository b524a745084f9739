package dev.imagesearch.search;

import java.util.List;

/**
 * The inner loop of a scan: adds the products of a query with one block of an {@link
 * EmbeddingMatrix}'s codes to the block's accumulators. Codes are dimension-major inside a block
 * ({@code code(row, j)} at {@code j * BLOCK + row}), so this is {@code acc[r] += q[j] * code[j][r]}
 * for every row {@code r < BLOCK} and dimension {@code j < dim}.
 *
 * <p>Every implementation runs the same hand-worked suite ({@code SearcherTest}) for every storage
 * precision: adding one to {@link #all()} is the one change that puts it under test.
 */
public interface ScanKernel {
  /** A short name for logs, tests and benchmarks: {@code scalar}, {@code vector-256}, ... */
  String name();

  /** Accumulates one block of int8 codes. */
  void accumulate(float[] q, byte[] codes, float[] acc, int dim);

  /** Accumulates one block of int16 codes. */
  void accumulate(float[] q, short[] codes, float[] acc, int dim);

  /**
   * Every kernel this JVM can run, the preferred one first: the scalar loops and, when the JVM has
   * {@code jdk.incubator.vector}, the Vector API kernel at every width (see {@link ScanKernels}).
   */
  static List<ScanKernel> all() {
    return ScanKernels.all();
  }

  /** The kernel searchers use unless told otherwise (chosen once per process). */
  static ScanKernel preferred() {
    return ScanKernels.best();
  }
}
