package dev.imagesearch.search;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The plain-Java kernel: a loop over rows with no reduction, which HotSpot's C2 compiles to SIMD
 * (AVX2/NEON) without the incubating Vector API. Four dimensions per pass: one load and store of
 * the accumulators per four products; the dimensions left over (a {@code dim} that is not a
 * multiple of 4) one at a time. C2 vectorizes these loops over heap arrays, so each block is first
 * copied from the matrix into a per-thread array.
 */
final class ScalarKernel implements ScanKernel {
  static final ScalarKernel INSTANCE = new ScalarKernel();

  private static final int BLOCK = EmbeddingMatrix.BLOCK;

  private static final ThreadLocal<Codes> CODES = ThreadLocal.withInitial(Codes::new);

  private ScalarKernel() {}

  /** Per-thread copies of one block's codes. */
  private static final class Codes {
    byte[] bytes = new byte[0];
    short[] shorts = new short[0];
  }

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public void accumulateInt8(float[] q, MemorySegment codes, long offset, float[] acc, int dim) {
    Codes local = CODES.get();
    int n = BLOCK * dim;
    if (local.bytes.length < n) local.bytes = new byte[n];
    MemorySegment.copy(codes, ValueLayout.JAVA_BYTE, offset, local.bytes, 0, n);
    accumulate(q, local.bytes, acc, dim);
  }

  @Override
  public void accumulateInt16(float[] q, MemorySegment codes, long offset, float[] acc, int dim) {
    Codes local = CODES.get();
    int n = BLOCK * dim;
    if (local.shorts.length < n) local.shorts = new short[n];
    MemorySegment.copy(codes, ValueLayout.JAVA_SHORT_UNALIGNED, offset, local.shorts, 0, n);
    accumulate(q, local.shorts, acc, dim);
  }

  @Override
  public void finish(float[] scores, float[] invNorms, int first, float[] summary) {
    for (int r = 0; r < BLOCK; r++) scores[r] *= invNorms[first + r];
    float sum = 0;
    float squares = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int r = 0; r < BLOCK; r++) {
      float s = scores[r];
      sum += s;
      squares += s * s;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    summary[0] = sum;
    summary[1] = squares;
    summary[2] = min;
    summary[3] = max;
  }

  // The two loops differ only in the code array's type.
  private static void accumulate(float[] q, byte[] codes, float[] acc, int dim) {
    int j = 0;
    for (; j + 3 < dim; j += 4) {
      float q0 = q[j], q1 = q[j + 1], q2 = q[j + 2], q3 = q[j + 3];
      int o0 = j * BLOCK, o1 = o0 + BLOCK, o2 = o1 + BLOCK, o3 = o2 + BLOCK;
      for (int r = 0; r < BLOCK; r++) {
        acc[r] += q0 * codes[o0 + r] + q1 * codes[o1 + r] + q2 * codes[o2 + r] + q3 * codes[o3 + r];
      }
    }
    for (; j < dim; j++) {
      float q0 = q[j];
      int o0 = j * BLOCK;
      for (int r = 0; r < BLOCK; r++) acc[r] += q0 * codes[o0 + r];
    }
  }

  private static void accumulate(float[] q, short[] codes, float[] acc, int dim) {
    int j = 0;
    for (; j + 3 < dim; j += 4) {
      float q0 = q[j], q1 = q[j + 1], q2 = q[j + 2], q3 = q[j + 3];
      int o0 = j * BLOCK, o1 = o0 + BLOCK, o2 = o1 + BLOCK, o3 = o2 + BLOCK;
      for (int r = 0; r < BLOCK; r++) {
        acc[r] += q0 * codes[o0 + r] + q1 * codes[o1 + r] + q2 * codes[o2 + r] + q3 * codes[o3 + r];
      }
    }
    for (; j < dim; j++) {
      float q0 = q[j];
      int o0 = j * BLOCK;
      for (int r = 0; r < BLOCK; r++) acc[r] += q0 * codes[o0 + r];
    }
  }
}
