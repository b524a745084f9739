package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.search.EmbeddingMatrix.Precision;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scan kernel this JVM can run (the scalar loops and the Vector API kernel at 64, 128, 256
 * and 512 bits; the tests run with {@code --add-modules jdk.incubator.vector}) gives the same
 * ranking, for INT8 and INT16 codes: on a hand-worked block and on 50,000 random rows against the
 * scalar kernel ({@code SearcherTest} runs its hand-worked rows with each of them too). A JVM
 * without the module gets the scalar kernel.
 */
class ScanKernelTest {
  static Stream<Arguments> kernelsAndPrecisions() {
    List<Arguments> all = new ArrayList<>();
    for (ScanKernel kernel : ScanKernels.all()) {
      for (Precision precision : Precision.values()) all.add(Arguments.of(kernel, precision));
    }
    return all.stream();
  }

  @Test
  void testsSeeEveryKernelWidth() {
    // Without the module the parity tests below would only compare the scalar kernel with itself.
    assertEquals(
        Set.of("scalar", "vector-64", "vector-128", "vector-256", "vector-512"),
        ScanKernels.all().stream().map(ScanKernel::name).collect(Collectors.toSet()));
    assertEquals(5, ScanKernels.all().size());
    assertEquals(ScanKernels.best(), ScanKernels.all().getFirst());
  }

  @ParameterizedTest
  @MethodSource("kernelsAndPrecisions")
  void accumulatesOneBlockExactly(ScanKernel kernel, Precision precision) {
    // 5 dimensions (not a multiple of the scalar kernel's 4 per pass). Row r has code r - 32 in
    // dimension j = r % 5 and code 1 everywhere else; q = (1, 2, 3, 4, 5), sum 15. So
    // acc[r] = 0.5 + (15 - q[r % 5]) + q[r % 5] * (r - 32), exact in float.
    int dim = 5;
    float[] q = {1, 2, 3, 4, 5};
    short[] codes16 = new short[EmbeddingMatrix.BLOCK * dim];
    byte[] codes8 = new byte[EmbeddingMatrix.BLOCK * dim];
    float[] expected = new float[EmbeddingMatrix.BLOCK];
    for (int r = 0; r < EmbeddingMatrix.BLOCK; r++) {
      for (int j = 0; j < dim; j++) {
        int code = j == r % dim ? r - 32 : 1;
        codes16[j * EmbeddingMatrix.BLOCK + r] = (short) code;
        codes8[j * EmbeddingMatrix.BLOCK + r] = (byte) code;
      }
      expected[r] = 0.5f + (15 - q[r % dim]) + q[r % dim] * (r - 32);
    }
    float[] acc = new float[EmbeddingMatrix.BLOCK];
    Arrays.fill(acc, 0.5f);
    // The block sits after 3 bytes of other data, as blocks sit inside a matrix's memory.
    if (precision == Precision.INT8) {
      MemorySegment memory = Arena.ofAuto().allocate(3 + codes8.length);
      MemorySegment.copy(codes8, 0, memory, ValueLayout.JAVA_BYTE, 3, codes8.length);
      kernel.accumulateInt8(q, memory, 3, acc, dim);
    } else {
      MemorySegment memory = Arena.ofAuto().allocate(6 + 2L * codes16.length);
      MemorySegment.copy(codes16, 0, memory, ValueLayout.JAVA_SHORT_UNALIGNED, 6, codes16.length);
      kernel.accumulateInt16(q, memory, 6, acc, dim);
    }

    assertArrayEquals(expected, acc, kernel.name() + " " + precision);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void finishTurnsABlockIntoCosinesAndSummarizesIt(ScanKernel kernel) {
    // Accumulators r - 32 and inverse norms 0.5 (from row 10 of the matrix on): cosines (r - 32) /
    // 2,
    // sum -16, sum of squares (11440 + 10416) / 4 = 5464, minimum -16, maximum 15.5, all exact.
    float[] scores = new float[EmbeddingMatrix.BLOCK];
    float[] invNorms = new float[10 + EmbeddingMatrix.BLOCK];
    float[] expected = new float[EmbeddingMatrix.BLOCK];
    for (int r = 0; r < EmbeddingMatrix.BLOCK; r++) {
      scores[r] = r - 32;
      invNorms[10 + r] = 0.5f;
      expected[r] = (r - 32) / 2f;
    }
    float[] summary = new float[ScanKernel.SUMMARY];

    kernel.finish(scores, invNorms, 10, summary);

    assertArrayEquals(expected, scores, kernel.name());
    assertArrayEquals(new float[] {-16f, 5464f, -16f, 15.5f}, summary, kernel.name());
  }

  static Stream<ScanKernel> kernels() {
    return ScanKernels.all().stream();
  }

  @ParameterizedTest
  @MethodSource("kernelsAndPrecisions")
  void agreesWithTheScalarKernelOnRandomRows(ScanKernel kernel, Precision precision) {
    // 50,000 rows for the widths the CPU runs natively; the emulated 64-bit species is slow, so it
    // scans the first 5,000. Rounding differs only in the order of float additions (~1e-7), so the
    // top 10 are the same rows.
    int rows = kernel.name().equals("vector-64") ? 5_000 : 50_000;
    EmbeddingMatrix m = randomMatrix(rows, 512, precision, 11);
    Searcher scalar =
        new Searcher(m, RelevanceThresholds.DEFAULTS, ScanPool.CALLER_ONLY, ScanKernels.scalar());
    Searcher tested = new Searcher(m, RelevanceThresholds.DEFAULTS, ScanPool.CALLER_ONLY, kernel);
    SplittableRandom rnd = new SplittableRandom(12);
    for (int query = 0; query < 10; query++) {
      float[] q = new float[512];
      for (int j = 0; j < q.length; j++) q[j] = (float) rnd.nextGaussian();
      SearchResult expected = scalar.search(q, 10, 0);
      SearchResult actual = tested.search(q, 10, 0);
      assertEquals(rowsOf(expected), rowsOf(actual), kernel.name() + " query " + query);
      for (int i = 0; i < 10; i++) {
        assertEquals(expected.hits().get(i).score(), actual.hits().get(i).score(), 1e-5f);
      }
      assertEquals(expected.stats().mean(), actual.stats().mean(), 1e-6f);
      assertEquals(expected.stats().standardDeviation(), actual.stats().standardDeviation(), 1e-6f);
    }
  }

  @Test
  void withoutTheVectorModuleTheScalarKernelServes() throws IOException, InterruptedException {
    // A JVM started without --add-modules jdk.incubator.vector must neither crash nor try the
    // Vector API: the kernel class is only loaded when the module is there.
    String out = runKernelChoice(List.of());
    assertEquals("scalar [1, 2, 0]", out);
    String forced =
        runKernelChoice(
            List.of(
                "--add-modules", "jdk.incubator.vector", "-D" + ScanKernels.PROPERTY + "=scalar"));
    assertEquals("scalar [1, 2, 0]", forced);
    String vector = runKernelChoice(List.of("--add-modules", "jdk.incubator.vector"));
    assertTrue(vector.matches("vector-(128|256|512) \\[1, 2, 0]"), vector);
  }

  private static String runKernelChoice(List<String> options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add(KernelChoice.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    // The JDK warns about the incubating module on stderr; the answer is the last line.
    return out.lines().reduce((a, b) -> b).orElse("");
  }

  /** Built once per size and precision: building 50,000 rows costs more than scanning them. */
  private static final Map<String, EmbeddingMatrix> MATRICES = new ConcurrentHashMap<>();

  private static EmbeddingMatrix randomMatrix(int rows, int dim, Precision precision, long seed) {
    return MATRICES.computeIfAbsent(
        rows + "x" + dim + precision + seed, key -> buildRandom(rows, dim, precision, seed));
  }

  private static EmbeddingMatrix buildRandom(int rows, int dim, Precision precision, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(rows, dim, precision);
    float[] row = new float[dim];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < dim; j++) row[j] = (float) rnd.nextGaussian();
      b.add(row);
    }
    return b.build();
  }

  private static List<Integer> rowsOf(SearchResult r) {
    return r.hits().stream().map(Hit::row).toList();
  }

  /** Prints the kernel this JVM picked and the ranking of a hand-worked search. */
  public static final class KernelChoice {
    public static void main(String[] args) {
      // Cosines with x: row 1 (x) 1, row 2 (x+y) .7071, row 0 (y) 0.
      EmbeddingMatrix m =
          EmbeddingMatrix.builder(3, 2)
              .add(new float[] {0, 1})
              .add(new float[] {1, 0})
              .add(new float[] {1, 1})
              .build();
      SearchResult r = new Searcher(m).search(new float[] {1, 0}, 3, 0);
      System.out.println(ScanKernels.best().name() + " " + rowsOf(r));
    }
  }
}
