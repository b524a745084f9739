package dev.imagesearch.search;

/**
 * Where the {@link Verdict} changes, in z-scores of the best hit ({@link ScoreStats#bestZ()}) and
 * in its margin over chance ({@link ScoreStats#margin()}). A query is {@link Verdict#STRONG} when
 * both {@code bestZ >= strongZ} and {@code margin >= strongMargin}, else {@link Verdict#WEAK} when
 * both {@code bestZ >= weakZ} and {@code margin >= weakMargin}, else {@link Verdict#NONE}.
 *
 * <p>Why z-scores: CLIP's raw cosine is not calibrated. A nonsense query still has a "best" image
 * with a cosine not far from a good query's, but it does not stand out from the rest of the
 * collection; a query the collection can answer pushes a few images several standard deviations
 * above the crowd. The margin corrects for collection size: among a million unrelated images the
 * best one is about 4.9 standard deviations above the mean by chance alone, among a hundred about
 * 2.5.
 *
 * <p><b>Recalibrating for another model or collection.</b> Score distributions depend on the model
 * and on how varied the collection is. To set thresholds for a real deployment:
 *
 * <ol>
 *   <li>Write down 20 or more queries you know the collection answers well ("a red car" when there
 *       are red cars) and as many it cannot answer (nonsense such as "qwzx blorf", and subjects
 *       that are absent).
 *   <li>Run each through {@code /api/search} and note {@code stats.bestZ} and {@code stats.margin}
 *       from the JSON.
 *   <li>Set {@code strongZ}/{@code strongMargin} just below the lowest values of the good queries,
 *       and {@code weakZ}/{@code weakMargin} just above the highest values of the nonsense ones;
 *       whatever falls between is {@code WEAK}.
 * </ol>
 *
 * @param strongZ least best-hit z-score for {@link Verdict#STRONG}
 * @param strongMargin least margin over chance for {@link Verdict#STRONG}
 * @param weakZ least best-hit z-score for {@link Verdict#WEAK}
 * @param weakMargin least margin over chance for {@link Verdict#WEAK}
 */
public record RelevanceThresholds(
    double strongZ, double strongMargin, double weakZ, double weakMargin) {

  /** Defaults: a best hit 4 sigma above the mean and 1 sigma above chance is a strong match. */
  public static final RelevanceThresholds DEFAULTS = new RelevanceThresholds(4.0, 1.0, 2.5, 0.25);

  public RelevanceThresholds {
    if (strongZ < weakZ || strongMargin < weakMargin) {
      throw new IllegalArgumentException(
          "strong thresholds must not be below weak ones: strongZ=%s strongMargin=%s weakZ=%s weakMargin=%s"
              .formatted(strongZ, strongMargin, weakZ, weakMargin));
    }
  }

  /** The verdict for a query whose scores have these statistics. */
  public Verdict verdict(ScoreStats stats) {
    if (stats.count() == 0 || stats.standardDeviation() <= 0) return Verdict.NONE;
    if (stats.bestZ() >= strongZ && stats.margin() >= strongMargin) return Verdict.STRONG;
    if (stats.bestZ() >= weakZ && stats.margin() >= weakMargin) return Verdict.WEAK;
    return Verdict.NONE;
  }
}
