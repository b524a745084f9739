package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The verdict on 5,000 random 64-d rows with a planted cluster of 20 rows around one direction
 * (each the direction plus noise of 0.6 its length, cosine ~0.85 with it). Unrelated rows score
 * ~N(0, 1/8) against any query; the cluster scores ~0.85, about 6.8 standard deviations above, far
 * beyond the 3.7 that the best of 5,000 reaches by chance.
 */
class RelevanceTest {
  private static final int DIM = 64;
  private static final int ROWS = 5_000;
  private static final Random RND = new Random(99);
  private static final float[] CENTER = SearcherTest.randomVector(DIM, RND);
  private static final Set<Integer> CLUSTER = new HashSet<>();
  private static final Searcher SEARCHER = new Searcher(plantedCollection());

  private static EmbeddingMatrix plantedCollection() {
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(ROWS, DIM);
    for (int i = 0; i < ROWS; i++) {
      if (i % 250 == 17) {
        CLUSTER.add(i);
        b.add(near(CENTER, 0.6f));
      } else {
        b.add(SearcherTest.randomVector(DIM, RND));
      }
    }
    return b.build();
  }

  @Test
  void queryMatchingThePlantedClusterIsStrongWithTheClusterOnTop() {
    SearchResult r = SEARCHER.search(near(CENTER, 0.3f), 20, 0);

    assertEquals(Verdict.STRONG, r.verdict());
    assertEquals(CLUSTER, new HashSet<>(r.hits().stream().map(Hit::row).toList()));
    assertTrue(r.stats().bestZ() > 5, "best z " + r.stats().bestZ());
    assertTrue(r.hits().get(19).relevance() > 4, "20th hit z " + r.hits().get(19).relevance());
  }

  @Test
  void randomQueriesAreNeverStrong() {
    Random rnd = new Random(5);
    for (int i = 0; i < 30; i++) {
      SearchResult r = SEARCHER.search(SearcherTest.randomVector(DIM, rnd), 10, 0);

      assertNotEquals(Verdict.STRONG, r.verdict(), "query " + i + ": " + r.stats());
      assertTrue(Math.abs(r.stats().margin()) < 1.5, "query " + i + ": " + r.stats());
    }
  }

  @Test
  void relevanceIsTheZScoreOfEachHit() {
    SearchResult r = SEARCHER.search(SearcherTest.randomVector(DIM, new Random(6)), 5, 3);
    ScoreStats s = r.stats();

    for (Hit h : r.hits()) {
      assertEquals((h.score() - s.mean()) / s.standardDeviation(), h.relevance(), 1e-5f);
    }
    // Unrelated 64-d unit vectors: cosine mean ~0, standard deviation ~1/√64 = 0.125.
    assertEquals(0, s.mean(), 0.01);
    assertEquals(0.125, s.standardDeviation(), 0.01);
    assertEquals(ROWS, s.count());
  }

  @Test
  void thresholdsDecideTheVerdict() {
    RelevanceThresholds t =
        new RelevanceThresholds(
            4,
            1,
            2.5,
            0.25,
            RelevanceThresholds.NO_SCORE_FLOOR,
            RelevanceThresholds.NO_SCORE_FLOOR);
    // bestZ 4.5 with chance 3.2: margin 1.3.
    assertEquals(Verdict.STRONG, t.verdict(stats(4.5f, 3.2f)));
    // bestZ 4.5 but chance 4.0 (a larger collection): margin 0.5 is only weak.
    assertEquals(Verdict.WEAK, t.verdict(stats(4.5f, 4.0f)));
    // bestZ 3.0, margin -0.2: nothing stands out.
    assertEquals(Verdict.NONE, t.verdict(stats(3.0f, 3.2f)));
    assertEquals(
        "strong thresholds must not be below weak ones: strongZ=2.0 strongMargin=1.0"
            + " strongScore=-1.0 weakZ=3.0 weakMargin=0.0 weakScore=-1.0",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new RelevanceThresholds(
                        2,
                        1,
                        3,
                        0,
                        RelevanceThresholds.NO_SCORE_FLOOR,
                        RelevanceThresholds.NO_SCORE_FLOOR))
            .getMessage());
  }

  @Test
  void scoreFloorKeepsAnOutstandingButLowCosineFromBeingStrong() {
    // The same distribution (best hit 4.5 sigma up, margin 1.3) with a best cosine of 0.29.
    ScoreStats outstanding = stats(4.5f, 3.2f);
    assertEquals(0.29f, outstanding.max(), 1e-6f);
    assertEquals(
        Verdict.STRONG, new RelevanceThresholds(4, 1, 2.5, 0.25, 0.285, 0.2).verdict(outstanding));
    assertEquals(
        Verdict.WEAK, new RelevanceThresholds(4, 1, 2.5, 0.25, 0.3, 0.2).verdict(outstanding));
    assertEquals(
        Verdict.NONE, new RelevanceThresholds(4, 1, 2.5, 0.25, 0.4, 0.3).verdict(outstanding));
    assertEquals(
        "strong thresholds must not be below weak ones: strongZ=4.0 strongMargin=1.0"
            + " strongScore=0.2 weakZ=2.5 weakMargin=0.25 weakScore=0.3",
        assertThrows(
                IllegalArgumentException.class,
                () -> new RelevanceThresholds(4, 1, 2.5, 0.25, 0.2, 0.3))
            .getMessage());
  }

  @Test
  void chanceLevelIsTheExpectedMaximumOfNormalDraws() {
    // Blom: Φ⁻¹((n - 0.375) / (n + 0.25)); Φ⁻¹(0.9) = 1.281552, Φ⁻¹(0.99376) = 2.498591.
    assertEquals(0, ChanceLevel.expectedMaxZ(1), 1e-9);
    assertEquals(1.281552, ChanceLevel.expectedMaxZ(6), 1e-5);
    assertEquals(2.498591, ChanceLevel.expectedMaxZ(100), 1e-5);
    assertEquals(4.214801, ChanceLevel.expectedMaxZ(50_000), 1e-5);
    assertEquals(4.847543, ChanceLevel.expectedMaxZ(1_000_000), 1e-5);
    assertEquals(1.959964, ChanceLevel.inverseNormal(0.975), 1e-6);
    assertEquals(-1.959964, ChanceLevel.inverseNormal(0.025), 1e-6);
  }

  private static ScoreStats stats(float bestZ, float chanceZ) {
    return new ScoreStats(
        1000, 0.2f, 0.02f, 0.1f, 0.2f + 0.02f * bestZ, bestZ, chanceZ, bestZ - chanceZ);
  }

  /** {@code center} (normalized) plus Gaussian noise whose length is {@code noise}. */
  private static float[] near(float[] center, float noise) {
    double norm = 0;
    for (float v : center) norm += v * v;
    float[] out = new float[DIM];
    for (int j = 0; j < DIM; j++) {
      out[j] = (float) (center[j] / Math.sqrt(norm) + RND.nextGaussian() * noise / Math.sqrt(DIM));
    }
    return out;
  }
}
