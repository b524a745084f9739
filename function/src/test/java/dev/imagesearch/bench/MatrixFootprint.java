package dev.imagesearch.bench;

import dev.imagesearch.search.EmbeddingMatrix;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Builds a 1,000,000 × 512 matrix the way the index loader does (row by row) and prints what it
 * costs: direct (off-heap) bytes, heap in use after a GC, and the process's resident set. Run with
 * the 1 GB instance's flags, e.g. {@code -Xmx128m -XX:MaxDirectMemorySize=512m}.
 */
public final class MatrixFootprint {
  private MatrixFootprint() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    long rssBefore = rssKb();
    SplittableRandom rnd = new SplittableRandom(1);
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(rows, dim);
    float[] row = new float[dim];
    long start = System.nanoTime();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < dim; j++) row[j] = (float) (rnd.nextDouble() - 0.5);
      b.add(row);
    }
    EmbeddingMatrix m = b.build();
    long buildMs = (System.nanoTime() - start) / 1_000_000;
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) direct = pool.getMemoryUsed();
    }
    System.out.printf(
        "rows=%d dim=%d precision=%s build=%d ms%n"
            + "matrix: off-heap %.1f MB, heap %.1f MB%n"
            + "process: direct pool %.1f MB, heap used after GC %.1f MB (max %.0f MB),"
            + " RSS %.1f MB (before building %.1f MB)%n",
        m.rows(),
        m.dim(),
        m.precision(),
        buildMs,
        m.offHeapBytes() / 1048576.0,
        m.heapBytes() / 1048576.0,
        direct / 1048576.0,
        heapUsed / 1048576.0,
        rt.maxMemory() / 1048576.0,
        rssKb() / 1024.0,
        rssBefore / 1024.0);
  }

  private static long rssKb() throws Exception {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) return -1;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    return -1;
  }
}
