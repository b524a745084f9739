package dev.imagesearch.search;

import java.util.List;

/**
 * One page of an exact ranking of the collection against a query.
 *
 * @param hits the page, best first ({@code hits.get(0).rank() == offset + 1} when not empty)
 * @param total rows ranked (the whole collection, minus the query image for "more like this")
 * @param k page size asked for
 * @param offset ranks skipped before this page
 * @param verdict how well the collection answers the query (independent of the page)
 * @param stats the distribution of this query's scores over the whole collection
 * @param scanNanos time spent scoring and ranking, for {@code Server-Timing}
 * @param judgement the verdict with what it rests on
 */
public record SearchResult(
    List<Hit> hits,
    int total,
    int k,
    int offset,
    Verdict verdict,
    ScoreStats stats,
    long scanNanos,
    Judgement judgement) {
  public SearchResult {
    hits = List.copyOf(hits);
  }

  /** A result judged by thresholds alone (no calibration). */
  public SearchResult(
      List<Hit> hits,
      int total,
      int k,
      int offset,
      Verdict verdict,
      ScoreStats stats,
      long scanNanos) {
    this(
        hits,
        total,
        k,
        offset,
        verdict,
        stats,
        scanNanos,
        Judgement.byThresholds(verdict, Judgement.DEFAULTS));
  }
}
