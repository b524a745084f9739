package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.clip.Vectors;
import dev.imagesearch.search.EmbeddingMatrix.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The searcher on rows whose scores are worked out by hand, for every storage precision and every
 * scan kernel: {@link #implementations()} crosses {@link Precision#values()} with {@link
 * ScanKernel#all()}, so a new precision or kernel is tested without touching this class, and {@link
 * #everyImplementationRanEveryHandWorkedTest()} fails the build when one was skipped.
 */
class SearcherTest {
  private static final float R2 = (float) (1 / Math.sqrt(2));
  private static final float R3 = (float) (1 / Math.sqrt(3));

  /** Hand-worked test name to the implementations it completed on. */
  private static final Map<String, Set<String>> COMPLETED = new TreeMap<>();

  static Stream<Arguments> implementations() {
    return Stream.of(Precision.values())
        .flatMap(p -> ScanKernel.all().stream().map(k -> Arguments.of(p, k)));
  }

  private static String name(Precision precision, ScanKernel kernel) {
    return precision + "/" + kernel;
  }

  /** Called last by each hand-worked test: it ran to the end on this implementation. */
  private static synchronized void completed(String test, Precision precision, ScanKernel kernel) {
    COMPLETED.computeIfAbsent(test, t -> new TreeSet<>()).add(name(precision, kernel));
  }

  @AfterAll
  static synchronized void everyImplementationRanEveryHandWorkedTest() {
    Set<String> all = new TreeSet<>();
    implementations().forEach(a -> all.add(name((Precision) a.get()[0], (ScanKernel) a.get()[1])));
    COMPLETED.forEach((test, ran) -> assertEquals(all, ran, test + " ran on"));
  }

  /**
   * Six 3-d rows whose int8 codes are exact (every non-zero component has the same magnitude, so it
   * quantizes to ±127, and to ±32767 in int16): x, y, z, (x+y)/√2, (x+y+z)/√3, (x-y)/√2. With 3
   * dimensions, every product is computed by a kernel's loop over the dimensions left after its
   * groups of four.
   */
  private static Searcher six(Precision precision, ScanKernel kernel) {
    EmbeddingMatrix m =
        EmbeddingMatrix.builder(6, 3, precision)
            .add(new float[] {1, 0, 0})
            .add(new float[] {0, 1, 0})
            .add(new float[] {0, 0, 1})
            .add(new float[] {1, 1, 0})
            .add(new float[] {1, 1, 1})
            .add(new float[] {1, -1, 0})
            .build();
    assertEquals(precision, m.precision());
    return new Searcher(m, RelevanceThresholds.DEFAULTS, ScanPool.CALLER_ONLY, kernel);
  }

  private static List<Integer> rows(SearchResult r) {
    return r.hits().stream().map(Hit::row).toList();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void ranksByCosineAndBreaksTiesByRowIndex(Precision precision, ScanKernel kernel) {
    Searcher six = six(precision, kernel);
    // Query x: scores are row0 1, row1 0, row2 0, row3 1/√2, row4 1/√3, row5 1/√2.
    // Rows 3 and 5 tie at 0.7071 (3 first), rows 1 and 2 tie at 0 (1 first).
    SearchResult r = six.search(new float[] {2, 0, 0}, 6, 0);

    assertEquals(List.of(0, 3, 5, 4, 1, 2), rows(r));
    float[] expected = {1, R2, R2, R3, 0, 0};
    for (int i = 0; i < 6; i++) {
      assertEquals(i + 1, r.hits().get(i).rank());
      assertEquals(expected[i], r.hits().get(i).score(), 1e-6f);
    }
    assertEquals(6, r.total());
    completed("ranksByCosineAndBreaksTiesByRowIndex", precision, kernel);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void statisticsAndRelevanceDescribeTheWholeCollection(Precision precision, ScanKernel kernel) {
    Searcher six = six(precision, kernel);
    // Scores {1, 0, 0, .70711, .57735, .70711}: sum 2.991564, mean 0.498594;
    // mean of squares (1 + 0 + 0 + .5 + .33333 + .5) / 6 = 0.388889, variance 0.388889 -
    // 0.498594² = 0.140293, std 0.374557; best z (1 - 0.498594) / 0.374557 = 1.338664.
    // Expected max z of 6 normals (Blom): Φ⁻¹(5.625 / 6.25 = 0.9) = 1.281552; margin 0.057112.
    SearchResult r = six.search(new float[] {1, 0, 0}, 2, 0);
    ScoreStats s = r.stats();

    assertEquals(6, s.count());
    assertEquals(0.498594f, s.mean(), 1e-5f);
    assertEquals(0.374557f, s.standardDeviation(), 1e-5f);
    assertEquals(0f, s.min(), 1e-6f);
    assertEquals(1f, s.max(), 1e-6f);
    assertEquals(1.338664f, s.bestZ(), 1e-4f);
    assertEquals(1.281552f, s.chanceZ(), 1e-4f);
    assertEquals(0.057112f, s.margin(), 1e-4f);
    // Second hit (row 3, 0.70711): (0.70711 - 0.498594) / 0.374557 = 0.556692.
    assertEquals(0.556692f, r.hits().get(1).relevance(), 1e-4f);
    assertEquals(Verdict.NONE, r.verdict());
    completed("statisticsAndRelevanceDescribeTheWholeCollection", precision, kernel);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void kLargerThanTheCollectionReturnsEveryRow(Precision precision, ScanKernel kernel) {
    Searcher six = six(precision, kernel);
    SearchResult r = six.search(new float[] {0, 0, 1}, 50, 0);

    assertEquals(6, r.hits().size());
    assertEquals(50, r.k());
    // Query z: row2 1, row4 1/√3, then rows 0, 1, 3, 5 at 0 in row order.
    assertEquals(List.of(2, 4, 0, 1, 3, 5), rows(r));
    completed("kLargerThanTheCollectionReturnsEveryRow", precision, kernel);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void offsetBeyondTheCollectionGivesAnEmptyPageWithStatistics(
      Precision precision, ScanKernel kernel) {
    Searcher six = six(precision, kernel);
    SearchResult r = six.search(new float[] {1, 0, 0}, 3, 6);

    assertEquals(List.of(), r.hits());
    assertEquals(6, r.total());
    assertEquals(6, r.offset());
    assertEquals(1f, r.stats().max(), 1e-6f);
    completed("offsetBeyondTheCollectionGivesAnEmptyPageWithStatistics", precision, kernel);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void aPartBlockAndTheDimensionsAfterTheGroupsOfFourAreScored(
      Precision precision, ScanKernel kernel) {
    // 70 rows of 6 dimensions: one full block of 64 rows and a second holding 6 rows (58 padding).
    // Row r is the unit vector e(r mod 6), except the very last, row 69 = (e4 + e5)/√2. All codes
    // are exact (±127 or ±32767). The query (e4 + e5)/√2 lies wholly in dimensions 4 and 5, the
    // ones a kernel that works in groups of four handles in its remainder loop.
    // Scores: row 69 1; rows 4, 5, 10, 11, ..., 64, 65 (r mod 6 in {4, 5}) 1/√2; the rest 0.
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(70, 6, precision);
    for (int r = 0; r < 69; r++) {
      float[] row = new float[6];
      row[r % 6] = 1;
      b.add(row);
    }
    b.add(new float[] {0, 0, 0, 0, 1, 1});
    Searcher searcher =
        new Searcher(b.build(), RelevanceThresholds.DEFAULTS, ScanPool.CALLER_ONLY, kernel);

    SearchResult r = searcher.search(new float[] {0, 0, 0, 0, 1, 1}, 24, 0);

    // 22 rows at 1/√2 (rows 4 and 5 of each of the 11 full groups of six) after row 69, then
    // the zeros from row 0 on.
    List<Integer> expected = new ArrayList<>(List.of(69));
    for (int g = 0; g < 11; g++) {
      expected.add(6 * g + 4);
      expected.add(6 * g + 5);
    }
    expected.add(0);
    assertEquals(expected, rows(r));
    assertEquals(1f, r.hits().get(0).score(), 1e-6f);
    assertEquals(R2, r.hits().get(22).score(), 1e-6f);
    assertEquals(0f, r.hits().get(23).score(), 1e-6f);
    assertEquals(70, r.stats().count());
    // Mean: (1 + 22 / √2) / 70 = (1 + 15.556349) / 70 = 0.236519.
    assertEquals(0.236519f, r.stats().mean(), 1e-5f);
    completed("aPartBlockAndTheDimensionsAfterTheGroupsOfFourAreScored", precision, kernel);
  }

  @Test
  void pagesConcatenateToTheFullRanking() {
    EmbeddingMatrix m = randomMatrix(1_000, 16, 7);
    Searcher searcher = new Searcher(m);
    float[] q = randomVector(16, new Random(8));
    List<Integer> full = rows(searcher.search(q, 100, 0));

    List<Integer> paged = new ArrayList<>();
    for (int offset = 0; offset < 100; offset += 7) {
      SearchResult page = searcher.search(q, 7, offset);
      assertEquals(offset + 1, page.hits().get(0).rank());
      paged.addAll(rows(page));
    }

    assertEquals(full, paged.subList(0, 100));
  }

  @Test
  void parallelScanEqualsSingleThreadedScanExactly() {
    // 3,001 rows: 47 blocks, the last one partly padding, split into 3 uneven parts.
    EmbeddingMatrix m = randomMatrix(3_001, 24, 11);
    Searcher single = new Searcher(m, RelevanceThresholds.DEFAULTS, ScanPool.CALLER_ONLY);
    try (ScanPool pool = ScanPool.start(new ScanSettings(3, 100))) {
      Searcher parallel = new Searcher(m, RelevanceThresholds.DEFAULTS, pool);
      Random rnd = new Random(12);
      for (int i = 0; i < 20; i++) {
        float[] q = randomVector(24, rnd);
        SearchResult a = single.search(q, 25, 5);
        SearchResult b = parallel.search(q, 25, 5);
        assertEquals(a.hits(), b.hits());
        assertEquals(a.stats(), b.stats());
        assertEquals(a.verdict(), b.verdict());
      }
      SearchResult a = single.similar(3_000, 10, 0);
      SearchResult b = parallel.similar(3_000, 10, 0);
      assertEquals(a.hits(), b.hits());
      assertEquals(a.stats(), b.stats());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void moreLikeThisLeavesTheImageItselfOut(Precision precision, ScanKernel kernel) {
    Searcher six = six(precision, kernel);
    // Row 3 = (x+y)/√2: row0 and row1 score 1/√2 (0 first), row4 (x+y+z)/√3 scores 2/√6 = .8165.
    SearchResult r = six.similar(3, 3, 0);

    assertEquals(List.of(4, 0, 1), rows(r));
    assertEquals(0.816497f, r.hits().get(0).score(), 1e-5f);
    assertEquals(5, r.total());
    assertEquals(5, r.stats().count());
    completed("moreLikeThisLeavesTheImageItselfOut", precision, kernel);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void badPagesAndRowsAreRefusedWithReadableMessages(Precision precision, ScanKernel kernel) {
    Searcher six = six(precision, kernel);
    float[] q = {1, 0, 0};
    assertEquals(
        "k (results per page) must be at least 1, got 0",
        assertThrows(InvalidQueryException.class, () -> six.search(q, 0, 0)).getMessage());
    assertEquals(
        "offset must be 0 or more, got -1",
        assertThrows(InvalidQueryException.class, () -> six.search(q, 10, -1)).getMessage());
    assertEquals(
        "offset + k may be at most 10000, got 10010",
        assertThrows(InvalidQueryException.class, () -> six.search(q, 10, 10_000)).getMessage());
    assertEquals(
        "no image at row 6; the collection has 6 images",
        assertThrows(InvalidQueryException.class, () -> six.similar(6, 10, 0)).getMessage());
    String wrongDim =
        assertThrows(
                dev.imagesearch.ImageSearchException.class, () -> six.search(new float[4], 1, 0))
            .getMessage();
    assertTrue(wrongDim.startsWith("query embedding has 4 values but the index has 3 dimensions"));
    completed("badPagesAndRowsAreRefusedWithReadableMessages", precision, kernel);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void emptyCollectionGivesAnEmptyPageAndVerdictNone(Precision precision, ScanKernel kernel) {
    Searcher empty =
        new Searcher(
            EmbeddingMatrix.builder(0, 3, precision).build(),
            RelevanceThresholds.DEFAULTS,
            ScanPool.CALLER_ONLY,
            kernel);

    SearchResult r = empty.search(new float[] {1, 0, 0}, 10, 0);

    assertEquals(List.of(), r.hits());
    assertEquals(0, r.total());
    assertEquals(Verdict.NONE, r.verdict());
    completed("emptyCollectionGivesAnEmptyPageAndVerdictNone", precision, kernel);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("implementations")
  void topRowsAndMomentsMatchABruteForcePassOverTheDequantizedRows(
      Precision precision, ScanKernel kernel) {
    // 3,001 rows: 46 full blocks, whose sums come from the kernel's block summary and whose rows
    // are looked at only when the block's best can enter the top, and a partial last block. The
    // reference scores every row on its own in double precision.
    Random rnd = new Random(21);
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(3_001, 24, precision);
    for (int i = 0; i < 3_001; i++) b.add(randomVector(24, rnd));
    EmbeddingMatrix m = b.build();
    Searcher searcher = new Searcher(m, RelevanceThresholds.DEFAULTS, ScanPool.CALLER_ONLY, kernel);
    for (int query = 0; query < 5; query++) {
      float[] q = Vectors.l2Normalize(randomVector(24, rnd));
      double[] exact = new double[m.rows()];
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < m.rows(); i++) {
        float[] row = m.row(i);
        for (int j = 0; j < 24; j++) exact[i] += (double) q[j] * row[j];
        sum += exact[i];
        squares += exact[i] * exact[i];
      }
      List<Integer> expected =
          java.util.stream.IntStream.range(0, m.rows())
              .boxed()
              .sorted((x, y) -> Double.compare(exact[y], exact[x]))
              .limit(25)
              .toList();
      SearchResult r = searcher.search(q, 25, 0);
      double mean = sum / m.rows();
      assertEquals(expected, rows(r), kernel + " " + precision + " query " + query);
      assertEquals(mean, r.stats().mean(), 1e-6);
      assertEquals(
          Math.sqrt(squares / m.rows() - mean * mean), r.stats().standardDeviation(), 1e-6);
      assertEquals(exact[expected.get(0)], r.stats().max(), 1e-6);
      assertEquals(java.util.Arrays.stream(exact).min().orElseThrow(), r.stats().min(), 1e-6);
    }
  }

  static EmbeddingMatrix randomMatrix(int rows, int dim, long seed) {
    Random rnd = new Random(seed);
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(rows, dim);
    for (int i = 0; i < rows; i++) b.add(randomVector(dim, rnd));
    return b.build();
  }

  static float[] randomVector(int dim, Random rnd) {
    float[] v = new float[dim];
    for (int j = 0; j < dim; j++) v[j] = (float) rnd.nextGaussian();
    return v;
  }
}
