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
  /** Accumulates one block of int8 codes. */
  void accumulate(float[] q, byte[] codes, float[] acc, int dim);

  /** Accumulates one block of int16 codes. */
  void accumulate(float[] q, short[] codes, float[] acc, int dim);

  /** Every kernel this build has, the preferred one first. */
  static List<ScanKernel> all() {
    return List.of(ScalarKernel.INSTANCE);
  }

  /** The kernel searchers use unless told otherwise. */
  static ScanKernel preferred() {
    return all().getFirst();
  }
}
