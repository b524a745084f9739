package dev.imagesearch.search;

import dev.imagesearch.ImageSearchException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Exact top-k search over every row of an {@link EmbeddingMatrix}, with pagination and an honest
 * relevance measure. Each query scans all rows once (split across cores for large collections),
 * keeping the best {@code offset + k} rows in a bounded heap and the moments of all scores, from
 * which each hit gets a z-score and the query a {@link Verdict}. Ties rank the lower row first.
 * Thread-safe: one searcher serves concurrent requests.
 *
 * <pre>{@code
 * Searcher searcher = new Searcher(matrix);
 * SearchResult page2 = searcher.search(textEmbedding, 20, 20); // ranks 21..40
 * SearchResult alike = searcher.similar(17, 20, 0); // "more like this" image row 17
 * }</pre>
 */
public final class Searcher {
  /** Deepest rank a page may reach ({@code offset + k}), which bounds the heap per query. */
  public static final int MAX_WINDOW = 10_000;

  private final EmbeddingMatrix matrix;
  private final RelevanceJudge judge;
  private final ScanPool pool;
  private final ScanKernel kernel;

  /** A searcher with the default thresholds that scans on the caller's thread. */
  public Searcher(EmbeddingMatrix matrix) {
    this(matrix, ThresholdJudge.DEFAULTS, ScanPool.CALLER_ONLY);
  }

  /**
   * @param pool the application's scan threads (shared by every searcher; closed by its owner)
   */
  public Searcher(EmbeddingMatrix matrix, RelevanceThresholds thresholds, ScanPool pool) {
    this(matrix, thresholds, pool, ScanKernel.preferred());
  }

  /** With a given inner loop (tests run every {@link ScanKernel#all()}). */
  public Searcher(
      EmbeddingMatrix matrix, RelevanceThresholds thresholds, ScanPool pool, ScanKernel kernel) {
    this(matrix, ThresholdJudge.of(thresholds), pool, kernel);
  }

  /** A searcher whose verdicts come from {@code judge} (e.g. a {@link CalibratedJudge}). */
  public Searcher(EmbeddingMatrix matrix, RelevanceJudge judge, ScanPool pool) {
    this(matrix, judge, pool, ScanKernel.preferred());
  }

  public Searcher(EmbeddingMatrix matrix, RelevanceJudge judge, ScanPool pool, ScanKernel kernel) {
    this.matrix = matrix;
    this.judge = judge;
    this.pool = pool;
    this.kernel = kernel;
  }

  public EmbeddingMatrix matrix() {
    return matrix;
  }

  /**
   * Ranks all rows by cosine with {@code query} and returns ranks {@code offset+1 .. offset+k}.
   *
   * @param query an embedding of the matrix's dimension; normalized here (a copy)
   * @throws IncompatibleQueryException when {@code query} has another dimension than the matrix
   * @throws InvalidQueryException when {@code k < 1}, {@code offset < 0} or {@code offset + k >
   *     MAX_WINDOW}
   */
  public SearchResult search(float[] query, int k, int offset) {
    return rank(unitCopy(query), k, offset, -1, QueryKind.TEXT);
  }

  /**
   * "More like this": ranks all other rows by cosine with the stored embedding of row {@code row}.
   * The row itself is left out of the ranking and of the score statistics (it would always be first
   * with score 1), so {@code total} is one less than the collection size.
   */
  public SearchResult similar(int row, int k, int offset) {
    if (row < 0 || row >= matrix.rows()) {
      throw new InvalidQueryException(
          "no image at row " + row + "; the collection has " + matrix.rows() + " images");
    }
    return rank(matrix.row(row), k, offset, row, QueryKind.IMAGE);
  }

  /**
   * Ranks all rows against an image embedding that is not a row of this collection (a synthetic or
   * uploaded image); judged as an image query.
   */
  public SearchResult searchImage(float[] embedding, int k, int offset) {
    return rank(unitCopy(embedding), k, offset, -1, QueryKind.IMAGE);
  }

  private SearchResult rank(float[] query, int k, int offset, int excludedRow, QueryKind kind) {
    checkPage(k, offset);
    long start = System.nanoTime();
    int total = matrix.rows() - (excludedRow >= 0 ? 1 : 0);
    int window = (int) Math.max(1, Math.min((long) offset + k, total));
    BlockScan scan = scan(query, window, excludedRow);

    ScoreStats stats = stats(scan);
    float[] scores = new float[scan.top.size()];
    int[] rows = scan.top.rowsBestFirst(scores);
    List<Hit> hits = new ArrayList<>(Math.max(0, Math.min(k, rows.length - offset)));
    for (int i = offset; i < rows.length && i < offset + k; i++) {
      hits.add(new Hit(i + 1, rows[i], scores[i], judge.relevance(scores[i], stats, kind)));
    }
    Judgement judgement = judge.judge(stats, kind);
    return new SearchResult(
        hits, total, k, offset, judgement.verdict(), stats, System.nanoTime() - start, judgement);
  }

  private BlockScan scan(float[] query, int window, int excludedRow) {
    int parts = pool.begin(matrix.rows());
    try {
      return scan(query, window, excludedRow, parts);
    } finally {
      pool.end();
    }
  }

  private BlockScan scan(float[] query, int window, int excludedRow, int requestedParts) {
    int blocks = matrix.blocks();
    int parts = Math.min(requestedParts, Math.max(1, blocks));
    List<Future<BlockScan>> others = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) blocks * p / parts);
      int to = (int) ((long) blocks * (p + 1) / parts);
      others.add(
          pool.submit(
              () -> {
                BlockScan part = new BlockScan(window);
                part.run(matrix, query, from, to, excludedRow, kernel);
                return part;
              }));
    }
    BlockScan result = new BlockScan(window);
    result.run(matrix, query, 0, (int) ((long) blocks / parts), excludedRow, kernel);
    for (Future<BlockScan> other : others) result.merge(join(other));
    return result;
  }

  private static BlockScan join(Future<BlockScan> part) {
    try {
      return part.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageSearchException("search interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new ImageSearchException("search failed: " + e.getCause(), e.getCause());
    }
  }

  private static ScoreStats stats(BlockScan scan) {
    if (scan.count == 0) return new ScoreStats(0, 0, 0, 0, 0, 0, 0, 0);
    double mean = scan.mean();
    double std = scan.standardDeviation();
    double bestZ = std > 0 ? (scan.max - mean) / std : 0;
    double chanceZ = ChanceLevel.expectedMaxZ(scan.count);
    return new ScoreStats(
        (int) scan.count,
        (float) mean,
        (float) std,
        scan.min,
        scan.max,
        (float) bestZ,
        (float) chanceZ,
        (float) (bestZ - chanceZ));
  }

  private static void checkPage(int k, int offset) {
    if (k < 1) throw new InvalidQueryException("k (results per page) must be at least 1, got " + k);
    if (offset < 0) throw new InvalidQueryException("offset must be 0 or more, got " + offset);
    if ((long) offset + k > MAX_WINDOW) {
      throw new InvalidQueryException(
          "offset + k may be at most " + MAX_WINDOW + ", got " + ((long) offset + k));
    }
  }

  private float[] unitCopy(float[] query) {
    if (query.length != matrix.dim()) {
      throw new IncompatibleQueryException(
          "query embedding has "
              + query.length
              + " values but the index has "
              + matrix.dim()
              + " dimensions; was the index made with another model?");
    }
    double norm = 0;
    for (float v : query) norm += (double) v * v;
    if (!(norm > 0) || Double.isInfinite(norm)) {
      throw new IncompatibleQueryException(
          "query embedding is zero or not finite (norm² " + norm + ")");
    }
    float inv = (float) (1 / Math.sqrt(norm));
    float[] unit = new float[query.length];
    for (int j = 0; j < unit.length; j++) unit[j] = query[j] * inv;
    return unit;
  }
}
