package dev.imagesearch.search;

/**
 * The innermost loop of a scan: adds the dot products of one query with the {@value
 * EmbeddingMatrix#BLOCK} rows of one block of codes ({@code acc[r] += Σ_j q[j] * code[j][r]}, codes
 * dimension-major: {@code code[j][r]} at {@code j * BLOCK + r}). Two implementations: {@link
 * ScalarScanKernel}, plain loops that C2 auto-vectorizes on any JVM, and {@code VectorScanKernel},
 * written with the incubating {@code jdk.incubator.vector} module, several times faster and used
 * when the JVM was started with {@code --add-modules jdk.incubator.vector} (see {@link
 * ScanKernels}).
 */
public interface ScanKernel {
  /** A short name for logs and benchmarks, e.g. {@code "scalar"} or {@code "vector-256"}. */
  String name();

  /** INT8 codes: {@code acc[r] += Σ_{j<dim} q[j] * codes[j * acc.length + r]}. */
  void accumulate(float[] q, byte[] codes, float[] acc);

  /** INT16 codes, same contract. */
  void accumulate(float[] q, short[] codes, float[] acc);
}
