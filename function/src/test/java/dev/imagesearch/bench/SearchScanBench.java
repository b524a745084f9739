package dev.imagesearch.bench;

import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.search.EmbeddingMatrix.Precision;
import dev.imagesearch.search.RelevanceThresholds;
import dev.imagesearch.search.ScanKernel;
import dev.imagesearch.search.ScanKernels;
import dev.imagesearch.search.ScanPool;
import dev.imagesearch.search.ScanSettings;
import dev.imagesearch.search.SearchResult;
import dev.imagesearch.search.Searcher;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One query against the whole collection: scan of every row, top-10, score statistics. Rows are
 * random 512-d unit vectors; the scan does the same work whatever the values. {@code threads} 1 is
 * the caller's thread alone, 2 splits the rows across two cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms1g",
      "-Xmx1g",
      "-XX:MaxDirectMemorySize=2g",
      "--add-modules",
      "jdk.incubator.vector"
    })
public class SearchScanBench {
  private static final int DIM = 512;

  @Param({"50000", "1000000"})
  int rows;

  @Param({"INT8", "INT16"})
  Precision precision;

  @Param({"1", "2"})
  int threads;

  /** {@code best}: the kernel the service picks (Vector API when present); {@code scalar}. */
  @Param({"best", "scalar"})
  String kernel;

  private ScanPool pool;
  private Searcher searcher;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(7);
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(rows, DIM, precision);
    float[] row = new float[DIM];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < DIM; j++) row[j] = (float) (rnd.nextDouble() - 0.5);
      b.add(row);
    }
    pool = ScanPool.start(new ScanSettings(threads, 16_384));
    ScanKernel k = kernel.equals("scalar") ? ScanKernels.scalar() : ScanKernels.best();
    searcher = new Searcher(b.build(), RelevanceThresholds.DEFAULTS, pool, k);
    queries = new float[16][DIM];
    for (float[] q : queries) {
      for (int j = 0; j < DIM; j++) q[j] = (float) rnd.nextGaussian();
    }
  }

  @TearDown
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  public SearchResult top10() {
    next = (next + 1) & 15;
    return searcher.search(queries[next], 10, 0);
  }
}
