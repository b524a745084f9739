package dev.imagesearch.search;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The inner loop of a scan: adds the products of a query with one block of an {@link
 * EmbeddingMatrix}'s codes to the block's accumulators. Codes are dimension-major inside a block
 * ({@code code(row, j)} at {@code j * BLOCK + row}), so this is {@code acc[r] += q[j] * code[j][r]}
 * for every row {@code r < BLOCK} and dimension {@code j < dim}.
 *
 * <p>The codes are read where they live, in the matrix's off-heap memory, at {@code offset} bytes
 * into {@code codes} (native byte order for INT16): a copy of each block into a heap array first
 * cost a third of the scan (measured in docs/benchmarks.md, "Search scan").
 *
 * <p>Every implementation runs the same hand-worked suite ({@code SearcherTest}) for every storage
 * precision: adding one to {@link #all()} is the one change that puts it under test.
 */
public interface ScanKernel {
  /** A short name for logs, tests and benchmarks: {@code scalar}, {@code vector-256}, ... */
  String name();

  /** Length of the summary {@link #finish} writes: sum, sum of squares, minimum, maximum. */
  int SUMMARY = 4;

  /**
   * Turns a block's accumulators into cosines ({@code scores[r] *= invNorms[first + r]}) and writes
   * their sum, sum of squares, minimum and maximum to {@code summary[0..3]}, so the scan handles
   * the block's 64 rows one by one only when the maximum may enter the top rows. Summed in a fixed
   * order for a given kernel, so a block's summary does not depend on how a scan is split.
   */
  void finish(float[] scores, float[] invNorms, int first, float[] summary);

  /** Accumulates one block of int8 codes, the first at byte {@code offset} of {@code codes}. */
  void accumulateInt8(float[] q, MemorySegment codes, long offset, float[] acc, int dim);

  /** Accumulates one block of int16 codes, the first at byte {@code offset} of {@code codes}. */
  void accumulateInt16(float[] q, MemorySegment codes, long offset, float[] acc, int dim);

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
