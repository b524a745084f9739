package dev.imagesearch.search;

/**
 * The distribution of one query's scores over the whole collection, measured during the scan.
 *
 * @param count rows scored
 * @param mean mean cosine
 * @param standardDeviation population standard deviation of the cosines
 * @param min lowest cosine
 * @param max highest cosine (the best hit's score)
 * @param bestZ the best hit's z-score, {@code (max - mean) / standardDeviation}
 * @param chanceZ the z-score the best of {@code count} unrelated images would reach by chance
 *     (expected maximum of {@code count} standard normal draws)
 * @param margin {@code bestZ - chanceZ}: how far the best hit stands above what chance gives
 */
public record ScoreStats(
    int count,
    float mean,
    float standardDeviation,
    float min,
    float max,
    float bestZ,
    float chanceZ,
    float margin) {

  /** The z-score of {@code score} in this distribution (0 when the spread is zero). */
  public float zScore(float score) {
    return standardDeviation > 0 ? (score - mean) / standardDeviation : 0f;
  }
}
