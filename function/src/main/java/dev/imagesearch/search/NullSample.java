package dev.imagesearch.search;

import java.util.Arrays;

/**
 * What queries that should match nothing reach on one statistic (for example the best cosine over
 * the collection): a sorted sample measured at publish time. {@link #standing(double)} says which
 * fraction of those unrelated queries a real query's value beats, with no assumption about the
 * shape of the distribution.
 *
 * <pre>{@code
 * NullSample best = NullSample.of(new double[] {0.31, 0.28, 0.35, 0.30});
 * best.standing(0.33); // 0.75: beats 3 of the 4 unrelated queries
 * }</pre>
 */
public final class NullSample {
  private final double[] sorted;

  private NullSample(double[] sorted) {
    this.sorted = sorted;
  }

  /** A sample of the given values (copied and sorted); at least one finite value. */
  public static NullSample of(double[] values) {
    if (values.length == 0) throw new IllegalArgumentException("a null sample needs values");
    for (double v : values) {
      if (!Double.isFinite(v)) throw new IllegalArgumentException("not finite: " + v);
    }
    double[] copy = values.clone();
    Arrays.sort(copy);
    return new NullSample(copy);
  }

  /**
   * The fraction of the sample strictly below {@code value}, ties counted half: 0 below the lowest
   * value, 1 above the highest.
   */
  public double standing(double value) {
    int below = lowerBound(value);
    int upTo = upperBound(value);
    return (below + (upTo - below) / 2.0) / sorted.length;
  }

  /** The empirical quantile at {@code p} in [0, 1] (nearest rank). */
  public double quantile(double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  public int size() {
    return sorted.length;
  }

  /** The sorted values (a copy). */
  public double[] values() {
    return sorted.clone();
  }

  private int lowerBound(double value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private int upperBound(double value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NullSample other && Arrays.equals(sorted, other.sorted);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sorted);
  }

  @Override
  public String toString() {
    return "NullSample[n=" + sorted.length + ", median=" + quantile(0.5) + "]";
  }
}
