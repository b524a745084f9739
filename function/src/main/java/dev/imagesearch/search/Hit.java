package dev.imagesearch.search;

/**
 * One ranked image of a result page.
 *
 * @param rank 1-based position in the whole ranking (page offset included)
 * @param row the image's row in the {@link EmbeddingMatrix} (and line in {@code metadata.jsonl})
 * @param score cosine similarity with the query, in [-1, 1]
 * @param relevance with a calibrated index, the percentage of unrelated queries whose best image
 *     scores below this hit (see {@link CalibratedJudge}); otherwise the z-score: how many standard
 *     deviations {@code score} lies above the mean score of the whole collection for this query
 */
public record Hit(int rank, int row, float score, float relevance) {}
