package dev.imagesearch.search;

/**
 * One pass over a range of blocks of an {@link EmbeddingMatrix} for one query: keeps the top rows
 * and the moments of all scores. A block's sums come from the kernel's summary ({@link
 * ScanKernel#finish}) and are added in fixed point, one add per block; its rows are looked at one
 * by one only when the block's best score beats the current top rows (rarely, once the top rows
 * fill). Parts of a parallel scan are merged with {@link #merge}: parts are whole blocks, the top-k
 * order is total and the sums are integers, so the merged result is bit-identical to a
 * single-threaded pass.
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
    float[] summary = scratch.summary;
    int rows = matrix.rows();
    for (int b = fromBlock; b < toBlock; b++) {
      matrix.scoreBlock(b, query, scratch, kernel);
      int first = b * EmbeddingMatrix.BLOCK;
      int n = Math.min(EmbeddingMatrix.BLOCK, rows - first);
      boolean whole =
          n == EmbeddingMatrix.BLOCK && (excludedRow < first || excludedRow >= first + n);
      if (whole) {
        // The kernel's summary: one fixed-point add per block instead of per row.
        count += n;
        sumFixed += (long) ((double) summary[0] * FIXED);
        sumSquaresFixed += (long) ((double) summary[1] * FIXED);
        min = Math.min(min, summary[2]);
        max = Math.max(max, summary[3]);
        if (summary[3] > top.threshold()) offerAll(scores, first, n, -1);
      } else {
        addOneByOne(scores, first, n, excludedRow);
      }
    }
  }

  /** A block with padding or the excluded row: each real row on its own. */
  private void addOneByOne(float[] scores, int first, int n, int excludedRow) {
    float blockSum = 0;
    float blockSquares = 0;
    for (int r = 0; r < n; r++) {
      if (first + r == excludedRow) continue;
      float s = scores[r];
      count++;
      blockSum += s;
      blockSquares += s * s;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    sumFixed += (long) ((double) blockSum * FIXED);
    sumSquaresFixed += (long) ((double) blockSquares * FIXED);
    offerAll(scores, first, n, excludedRow);
  }

  /** Offers the block's rows that beat the current threshold to the top rows. */
  private void offerAll(float[] scores, int first, int n, int excludedRow) {
    float threshold = top.threshold();
    for (int r = 0; r < n; r++) {
      float s = scores[r];
      // Rows arrive in ascending order, so an equal score cannot beat a kept one.
      if (s > threshold && first + r != excludedRow) {
        top.offer(s, first + r);
        threshold = top.threshold();
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
