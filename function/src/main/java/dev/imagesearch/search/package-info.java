/**
 * The pure search core: embeddings in memory, exact ranking, relevance and the query language. JDK
 * only (no AWS SDK, no ONNX Runtime), so everything here is tested with small synthetic vectors.
 *
 * <p>A query's path through this package:
 *
 * <ol>
 *   <li>{@link dev.imagesearch.search.QueryValidator} normalizes what the person typed;
 *   <li>{@link dev.imagesearch.search.QueryExpression} splits it into weighted terms ({@code "beach
 *       + sunset - people"}, {@code "2:cat + dog"});
 *   <li>the caller embeds each term (through an {@link dev.imagesearch.search.LruCache}) and {@link
 *       dev.imagesearch.search.QueryCombiner} makes one unit vector of them;
 *   <li>{@link dev.imagesearch.search.Searcher} scans every row of the {@link
 *       dev.imagesearch.search.EmbeddingMatrix} and returns a {@link
 *       dev.imagesearch.search.SearchResult}: a page of {@link dev.imagesearch.search.Hit}s with
 *       z-score relevance, the {@link dev.imagesearch.search.ScoreStats} of the whole collection
 *       and a {@link dev.imagesearch.search.Verdict} decided by {@link
 *       dev.imagesearch.search.RelevanceThresholds}.
 * </ol>
 *
 * Errors a user caused are {@link dev.imagesearch.search.InvalidQueryException}s (HTTP 400).
 */
package dev.imagesearch.search;
