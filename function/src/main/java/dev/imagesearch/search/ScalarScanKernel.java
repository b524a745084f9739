package dev.imagesearch.search;

/**
 * The fallback kernel: plain loops over the rows of a block with no reduction, which HotSpot's C2
 * compiles to SIMD (AVX2/NEON) by itself. Four dimensions per pass: one load and store of the
 * accumulators per four products. The two methods differ only in the code array's type.
 */
final class ScalarScanKernel implements ScanKernel {
  static final ScalarScanKernel INSTANCE = new ScalarScanKernel();

  private ScalarScanKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void accumulate(float[] q, byte[] codes, float[] acc) {
    int block = EmbeddingMatrix.BLOCK;
    int dim = q.length;
    int j = 0;
    for (; j + 3 < dim; j += 4) {
      float q0 = q[j], q1 = q[j + 1], q2 = q[j + 2], q3 = q[j + 3];
      int o0 = j * block, o1 = o0 + block, o2 = o1 + block, o3 = o2 + block;
      for (int r = 0; r < block; r++) {
        acc[r] += q0 * codes[o0 + r] + q1 * codes[o1 + r] + q2 * codes[o2 + r] + q3 * codes[o3 + r];
      }
    }
    for (; j < dim; j++) {
      float q0 = q[j];
      int o0 = j * block;
      for (int r = 0; r < block; r++) acc[r] += q0 * codes[o0 + r];
    }
  }

  @Override
  public void accumulate(float[] q, short[] codes, float[] acc) {
    int block = EmbeddingMatrix.BLOCK;
    int dim = q.length;
    int j = 0;
    for (; j + 3 < dim; j += 4) {
      float q0 = q[j], q1 = q[j + 1], q2 = q[j + 2], q3 = q[j + 3];
      int o0 = j * block, o1 = o0 + block, o2 = o1 + block, o3 = o2 + block;
      for (int r = 0; r < block; r++) {
        acc[r] += q0 * codes[o0 + r] + q1 * codes[o1 + r] + q2 * codes[o2 + r] + q3 * codes[o3 + r];
      }
    }
    for (; j < dim; j++) {
      float q0 = q[j];
      int o0 = j * block;
      for (int r = 0; r < block; r++) acc[r] += q0 * codes[o0 + r];
    }
  }
}
