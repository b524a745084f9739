package dev.imagesearch.search;

/**
 * How a scan uses the machine's cores.
 *
 * @param threads most threads one scan uses (the caller's thread included)
 * @param minRowsPerThread a scan is split only into parts of at least this many rows; below {@code
 *     2 * minRowsPerThread} rows it stays on the caller's thread, where handing work to another
 *     thread costs more than it saves
 */
public record ScanSettings(int threads, int minRowsPerThread) {
  /** All cores, parts of at least 16,384 rows (8 MB of codes at 512 dimensions). */
  public static final ScanSettings DEFAULTS =
      new ScanSettings(Runtime.getRuntime().availableProcessors(), 16_384);

  /** One thread whatever the size. */
  public static final ScanSettings SINGLE_THREADED = new ScanSettings(1, Integer.MAX_VALUE);

  public ScanSettings {
    if (threads < 1 || minRowsPerThread < 1) {
      throw new IllegalArgumentException(
          "threads and minRowsPerThread must be >= 1, got " + threads + ", " + minRowsPerThread);
    }
  }

  /** Parts to split {@code rows} rows into. */
  int partsFor(int rows) {
    return (int) Math.max(1, Math.min(threads, rows / (long) minRowsPerThread));
  }
}
