package dev.imagesearch.search;

/**
 * Decides how well the collection answers a query from the statistics of its scan, and what each
 * hit's {@code relevance} number is. {@link CalibratedJudge} compares with what unrelated queries
 * reached on this collection; {@link RelevanceThresholds} applies fixed thresholds.
 */
public interface RelevanceJudge {
  Judgement judge(ScoreStats stats, QueryKind kind);

  /** The relevance number reported for a hit of cosine {@code score}. */
  float relevance(float score, ScoreStats stats, QueryKind kind);
}
