package dev.imagesearch.search;

/**
 * One pass over a range of blocks of an {@link EmbeddingMatrix} for one query: keeps the top rows
 * and the moments of all scores. Parts of a parallel scan are merged with {@link #merge}; since the
 * top-k order is total and the sums are integers (fixed point), the merged result is bit-identical
 * to a single-threaded pass.
 */
final class BlockScan {
  /** Fixed-point scale of the score sums: 2^30, so 10^6 rows sum to well under 2^63. */
  private static final double FIXED = 0x1p30;

  final TopK top;
  long count;
  long sumFixed;
  long sumSquaresFixed;
  float min = Float.POSITIVE_INFINITY;
  float max = Float.NEGATIVE_INFINITY;

  BlockScan(int window) {
    top = new TopK(window);
  }

  /** Scores blocks {@code [fromBlock, toBlock)}; {@code excludedRow} (or -1) is skipped. */
  void run(
      EmbeddingMatrix matrix,
      float[] query,
      int fromBlock,
      int toBlock,
      int excludedRow,
      ScanKernel kernel) {
    EmbeddingMatrix.Scratch scratch = EmbeddingMatrix.Scratch.local();
    float[] scores = scratch.scores;
    int rows = matrix.rows();
    for (int b = fromBlock; b < toBlock; b++) {
      matrix.scoreBlock(b, query, scratch, kernel);
      int first = b * EmbeddingMatrix.BLOCK;
      int n = Math.min(EmbeddingMatrix.BLOCK, rows - first);
      float threshold = top.threshold();
      for (int r = 0; r < n; r++) {
        int row = first + r;
        if (row == excludedRow) continue;
        float s = scores[r];
        count++;
        sumFixed += (long) (s * FIXED);
        sumSquaresFixed += (long) ((double) s * s * FIXED);
        if (s < min) min = s;
        if (s > max) max = s;
        // Rows arrive in ascending order, so an equal score cannot beat a kept one.
        if (s > threshold) {
          top.offer(s, row);
          threshold = top.threshold();
        }
      }
    }
  }

  void merge(BlockScan other) {
    top.addAll(other.top);
    count += other.count;
    sumFixed += other.sumFixed;
    sumSquaresFixed += other.sumSquaresFixed;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  double mean() {
    return count == 0 ? 0 : sumFixed / FIXED / count;
  }

  double standardDeviation() {
    if (count == 0) return 0;
    double mean = mean();
    return Math.sqrt(Math.max(0, sumSquaresFixed / FIXED / count - mean * mean));
  }
}
