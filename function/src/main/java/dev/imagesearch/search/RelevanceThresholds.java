package dev.imagesearch.search;

/**
 * Fixed verdict thresholds: explicit overrides ({@code relevance.json}, {@code IMAGE_SEARCH_*}) and
 * the defaults for an index published before calibration existed. Normally the verdict comes from
 * the index version's calibration instead ({@link CalibratedJudge}).
 *
 * <p>Where the {@link Verdict} changes: in z-scores of the best hit ({@link ScoreStats#bestZ()}),
 * in its margin over chance ({@link ScoreStats#margin()}) and in its raw cosine ({@link
 * ScoreStats#max()}). A query is {@link Verdict#STRONG} when {@code bestZ >= strongZ}, {@code
 * margin >= strongMargin} and {@code max >= strongScore}, else {@link Verdict#WEAK} when {@code
 * bestZ >= weakZ}, {@code margin >= weakMargin} and {@code max >= weakScore}, else {@link
 * Verdict#NONE}.
 *
 * <p>Why z-scores: CLIP's raw cosine is not calibrated across queries. A nonsense query still has a
 * "best" image with a cosine not far from a good query's, but it does not stand out from the rest
 * of the collection; a query the collection can answer pushes a few images several standard
 * deviations above the crowd. The margin corrects for collection size: among a million unrelated
 * images the best one is about 4.9 standard deviations above the mean by chance alone, among a
 * hundred about 2.5.
 *
 * <p>Why also a score floor: in a homogeneous collection (every image a product shot, or every
 * image coloured shapes) any text, nonsense included, lands nearer some images than others, so the
 * best hit of nonsense can stand as far above the crowd as a real answer does. What nonsense does
 * not reach is the cosine a model gives a text and an image that truly agree. The floor is a
 * property of the model (each model has its own cosine range), so it travels with the model's
 * {@code relevance.json}; the defaults leave it off ({@code -1}).
 *
 * <p><b>Setting overrides by hand.</b> Score distributions depend on the model and on how varied
 * the collection is (which is why the calibration measures them). To set fixed thresholds anyway:
 *
 * <ol>
 *   <li>Write down 20 or more queries you know the collection answers well ("a red car" when there
 *       are red cars) and as many it cannot answer (nonsense such as "qwzx blorf", and subjects
 *       that are absent).
 *   <li>Run each through {@code /api/search} and note {@code stats.bestZ}, {@code stats.margin} and
 *       {@code stats.bestScore} from the JSON.
 *   <li>For each of the three, set the strong threshold just below the lowest value of the good
 *       queries and the weak threshold just above the highest value of the unanswerable ones; use
 *       the statistic that separates the two groups best and leave the others permissive. Whatever
 *       falls between is {@code WEAK}.
 * </ol>
 *
 * @param strongZ least best-hit z-score for {@link Verdict#STRONG}
 * @param strongMargin least margin over chance for {@link Verdict#STRONG}
 * @param weakZ least best-hit z-score for {@link Verdict#WEAK}
 * @param weakMargin least margin over chance for {@link Verdict#WEAK}
 * @param strongScore least best-hit cosine for {@link Verdict#STRONG}
 * @param weakScore least best-hit cosine for {@link Verdict#WEAK}
 */
public record RelevanceThresholds(
    double strongZ,
    double strongMargin,
    double weakZ,
    double weakMargin,
    double strongScore,
    double weakScore) {

  /** No score floor: a cosine is never below -1. */
  public static final double NO_SCORE_FLOOR = -1;

  /**
   * Defaults: a best hit 4 sigma above the mean and 1 sigma above chance is a strong match; no
   * score floor.
   */
  public static final RelevanceThresholds DEFAULTS =
      new RelevanceThresholds(4.0, 1.0, 2.5, 0.25, NO_SCORE_FLOOR, NO_SCORE_FLOOR);

  public RelevanceThresholds {
    if (strongZ < weakZ || strongMargin < weakMargin || strongScore < weakScore) {
      throw new IllegalArgumentException(
          ("strong thresholds must not be below weak ones: strongZ=%s strongMargin=%s"
                  + " strongScore=%s weakZ=%s weakMargin=%s weakScore=%s")
              .formatted(strongZ, strongMargin, strongScore, weakZ, weakMargin, weakScore));
    }
  }

  /** The verdict for a query whose scores have these statistics. */
  public Verdict verdict(ScoreStats stats) {
    if (stats.count() == 0 || stats.standardDeviation() <= 0) return Verdict.NONE;
    if (stats.bestZ() >= strongZ && stats.margin() >= strongMargin && stats.max() >= strongScore)
      return Verdict.STRONG;
    if (stats.bestZ() >= weakZ && stats.margin() >= weakMargin && stats.max() >= weakScore)
      return Verdict.WEAK;
    return Verdict.NONE;
  }
}
