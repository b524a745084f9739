package dev.imagesearch.search;

/**
 * The best {@code capacity} (score, row) pairs seen so far, in a bounded min-heap whose root is the
 * worst kept pair. Order is total: a higher score is better, and on equal scores the lower row
 * index is better, so the kept set and its order do not depend on the order rows were offered in
 * (which makes a parallel scan's merged result identical to a single-threaded one).
 *
 * <pre>{@code
 * TopK top = new TopK(2);
 * top.offer(0.1f, 0); top.offer(0.9f, 1); top.offer(0.5f, 2);
 * top.rowsBestFirst(); // {1, 2}
 * }</pre>
 */
final class TopK {
  private final float[] scores;
  private final int[] rows;
  private int size;

  TopK(int capacity) {
    scores = new float[capacity];
    rows = new int[capacity];
  }

  int size() {
    return size;
  }

  /** The score a new pair must beat once full (any score while not full). */
  float threshold() {
    return size < scores.length ? Float.NEGATIVE_INFINITY : scores[0];
  }

  void offer(float score, int row) {
    if (size < scores.length) {
      int i = size++;
      scores[i] = score;
      rows[i] = row;
      siftUp(i);
    } else if (scores.length > 0 && better(score, row, scores[0], rows[0])) {
      scores[0] = score;
      rows[0] = row;
      siftDown(0);
    }
  }

  void addAll(TopK other) {
    for (int i = 0; i < other.size; i++) offer(other.scores[i], other.rows[i]);
  }

  /** Kept rows, best first; {@code scoresOut} receives their scores in the same order. */
  int[] rowsBestFirst(float[] scoresOut) {
    // Pop the worst repeatedly on copies: O(k log k), k is small.
    float[] s = scores.clone();
    int[] r = rows.clone();
    int n = size;
    int[] out = new int[n];
    TopK copy = new TopK(s, r, n);
    for (int i = n - 1; i >= 0; i--) {
      out[i] = copy.rows[0];
      if (scoresOut != null) scoresOut[i] = copy.scores[0];
      copy.size--;
      copy.scores[0] = copy.scores[copy.size];
      copy.rows[0] = copy.rows[copy.size];
      copy.siftDown(0);
    }
    return out;
  }

  int[] rowsBestFirst() {
    return rowsBestFirst(null);
  }

  private TopK(float[] scores, int[] rows, int size) {
    this.scores = scores;
    this.rows = rows;
    this.size = size;
  }

  /** True when (s1, r1) ranks above (s2, r2). */
  static boolean better(float s1, int r1, float s2, int r2) {
    return s1 > s2 || (s1 == s2 && r1 < r2);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!better(scores[parent], rows[parent], scores[i], rows[i])) break;
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) return;
      int worst = left;
      int right = left + 1;
      if (right < size && better(scores[left], rows[left], scores[right], rows[right])) {
        worst = right;
      }
      if (!better(scores[i], rows[i], scores[worst], rows[worst])) return;
      swap(i, worst);
      i = worst;
    }
  }

  private void swap(int a, int b) {
    float s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
    int r = rows[a];
    rows[a] = rows[b];
    rows[b] = r;
  }
}
