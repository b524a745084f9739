package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The calibrated verdict against a small hand-made null, each standing worked out in a comment. */
class CalibratedJudgeTest {
  /** Best cosines 0.01, 0.02, ..., 1.00 of 100 unrelated queries; spreads the same. */
  private static final NullSample HUNDRED = NullSample.of(steps(100));

  private static final CalibratedJudge JUDGE =
      new CalibratedJudge(new QueryNull(HUNDRED, HUNDRED), new QueryNull(HUNDRED, HUNDRED));

  private static double[] steps(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = (i + 1) / 100.0;
    return v;
  }

  /** Stats with the given best cosine and mean (the other fields do not matter here). */
  private static ScoreStats stats(float best, float mean) {
    return new ScoreStats(1000, mean, 0.1f, -0.5f, best, 0, 0, 0);
  }

  @Test
  void standingCountsValuesBelowAndHalfTheTies() {
    NullSample s = NullSample.of(new double[] {0.31, 0.28, 0.35, 0.30});
    assertEquals(0.75, s.standing(0.33)); // beats 0.28, 0.30, 0.31
    assertEquals(0.625, s.standing(0.31)); // beats 2, ties 1: (2 + 0.5) / 4
    assertEquals(0.0, s.standing(0.1));
    assertEquals(1.0, s.standing(0.9));
    assertEquals(0.35, s.quantile(1.0));
    assertEquals(0.28, s.quantile(0.0));
    assertThrows(IllegalArgumentException.class, () -> NullSample.of(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> NullSample.of(new double[] {Double.NaN}));
  }

  @Test
  void strongAboveNinetyEightPercentWithASpreadAboveTheMedian() {
    // best 0.985 beats 0.01..0.98 = 98 of 100 (98 %); spread 0.985 - 0.3 = 0.685 beats 68 %.
    Judgement j = JUDGE.judge(stats(0.985f, 0.3f), QueryKind.TEXT);
    assertEquals(Verdict.STRONG, j.verdict());
    assertEquals(0.98, j.bestStanding(), 1e-9);
    assertEquals(0.68, j.spreadStanding(), 1e-9);
    assertEquals(Judgement.CALIBRATED, j.basis());
  }

  @Test
  void aHighBestThatDoesNotStandFromTheCrowdIsOnlyWeak() {
    // best 0.995 beats 99 %, but the spread 0.995 - 0.6 = 0.395 beats only 39 % (< half).
    assertEquals(Verdict.WEAK, JUDGE.judge(stats(0.995f, 0.6f), QueryKind.TEXT).verdict());
  }

  @Test
  void weakFromNinetyPercentNoneBelow() {
    // 0.905 beats 90 of 100; 0.895 beats 89.
    assertEquals(Verdict.WEAK, JUDGE.judge(stats(0.905f, 0f), QueryKind.TEXT).verdict());
    assertEquals(Verdict.NONE, JUDGE.judge(stats(0.895f, 0f), QueryKind.TEXT).verdict());
  }

  @Test
  void imageQueriesAreJudgedAgainstTheImageNull() {
    // Image null: best cosines 0.900, 0.902, ..., 0.998 (50 values, image pairs score high).
    // A best of 0.985 beats 0.900 .. 0.984 = 43 of them (86 %): none for an image query, while
    // the same 0.985 for a text beats 98 % of the text null: strong.
    double[] high = new double[50];
    for (int i = 0; i < 50; i++) high[i] = 0.9 + i * 0.002;
    CalibratedJudge judge =
        new CalibratedJudge(
            new QueryNull(HUNDRED, HUNDRED), new QueryNull(NullSample.of(high), HUNDRED));
    assertEquals(Verdict.STRONG, judge.judge(stats(0.985f, 0f), QueryKind.TEXT).verdict());
    assertEquals(Verdict.NONE, judge.judge(stats(0.985f, 0f), QueryKind.IMAGE).verdict());
    assertEquals(86f, judge.relevance(0.985f, stats(0.985f, 0f), QueryKind.IMAGE), 1e-3f);
  }

  @Test
  void aTowerTheCalibrationDidNotMeasureHasNoJudge() {
    Calibration c =
        new Calibration(
            "m", Map.of("m", new QueryNull(HUNDRED, HUNDRED)), new QueryNull(HUNDRED, HUNDRED));
    assertEquals(true, CalibratedJudge.of(c, "m").isPresent());
    assertEquals(false, CalibratedJudge.of(c, "m-french").isPresent());
  }
}
