package dev.imagesearch.search;

/**
 * The plain-Java kernel: a loop over rows with no reduction, which HotSpot's C2 compiles to SIMD
 * (AVX2/NEON) without the incubating Vector API. Four dimensions per pass: one load and store of
 * the accumulators per four products; the dimensions left over (a {@code dim} that is not a
 * multiple of 4) one at a time.
 */
final class ScalarKernel implements ScanKernel {
  static final ScalarKernel INSTANCE = new ScalarKernel();

  private static final int BLOCK = EmbeddingMatrix.BLOCK;

  private ScalarKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public String toString() {
    return name();
  }

  // The two loops differ only in the code array's type.
  @Override
  public void accumulate(float[] q, byte[] codes, float[] acc, int dim) {
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

  @Override
  public void accumulate(float[] q, short[] codes, float[] acc, int dim) {
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
