package dev.imagesearch.search;

/**
 * Fixed {@link RelevanceThresholds} as a {@link RelevanceJudge}: explicit overrides, or the
 * defaults for an index published before calibration existed. A hit's relevance is its z-score.
 *
 * @param thresholds where the verdict changes
 * @param basis {@link Judgement#OVERRIDES} or {@link Judgement#DEFAULTS}
 */
public record ThresholdJudge(RelevanceThresholds thresholds, String basis)
    implements RelevanceJudge {
  /** The defaults, for an index without calibration. */
  public static final ThresholdJudge DEFAULTS =
      new ThresholdJudge(RelevanceThresholds.DEFAULTS, Judgement.DEFAULTS);

  /** Fixed thresholds: the defaults, or explicit overrides when they differ from them. */
  public static ThresholdJudge of(RelevanceThresholds thresholds) {
    return new ThresholdJudge(
        thresholds,
        thresholds.equals(RelevanceThresholds.DEFAULTS) ? Judgement.DEFAULTS : Judgement.OVERRIDES);
  }

  @Override
  public Judgement judge(ScoreStats stats, QueryKind kind) {
    return Judgement.byThresholds(thresholds.verdict(stats), basis);
  }

  @Override
  public float relevance(float score, ScoreStats stats, QueryKind kind) {
    return stats.zScore(score);
  }
}
