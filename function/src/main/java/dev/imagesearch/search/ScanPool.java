package dev.imagesearch.search;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How scans use the machine's cores: the {@link ScanSettings} and the daemon threads that run the
 * extra parts of parallel scans (the caller's thread runs the first part). Made once by the
 * application and handed to each {@link Searcher}, so every index version's searcher shares it;
 * kept apart from the common fork-join pool so a busy parallel stream elsewhere cannot delay a
 * query.
 *
 * <pre>{@code
 * try (ScanPool pool = ScanPool.start(ScanSettings.DEFAULTS)) {
 *   Searcher searcher = new Searcher(matrix, RelevanceThresholds.DEFAULTS, pool);
 * }
 * }</pre>
 */
public final class ScanPool implements AutoCloseable {
  /** Every scan on the caller's thread: no threads, nothing to close. */
  public static final ScanPool CALLER_ONLY = new ScanPool(ScanSettings.SINGLE_THREADED, null);

  private final ScanSettings settings;
  private final ExecutorService executor;

  private ScanPool(ScanSettings settings, ExecutorService executor) {
    this.settings = settings;
    this.executor = executor;
  }

  /** A pool of {@code settings.threads() - 1} threads, created as the first scans need them. */
  public static ScanPool start(ScanSettings settings) {
    if (settings.threads() == 1) {
      return new ScanPool(settings, null);
    }
    AtomicInteger count = new AtomicInteger();
    return new ScanPool(
        settings,
        Executors.newFixedThreadPool(
            settings.threads() - 1,
            task -> {
              Thread t = new Thread(task, "search-scan-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            }));
  }

  /** Parts to split a scan of {@code rows} rows into (1 without threads). */
  int partsFor(int rows) {
    return executor == null ? 1 : settings.partsFor(rows);
  }

  <T> Future<T> submit(Callable<T> part) {
    return executor.submit(part);
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
