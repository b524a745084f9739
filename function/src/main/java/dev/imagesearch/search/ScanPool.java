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
 * <p>A scan is split only when it runs alone: when queries overlap, every core is already busy with
 * one, and a split part would wait for the pool's thread, busy with another query's part, while the
 * hand-off costs both (measured in docs/benchmarks.md, "Query path").
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
  private final AtomicInteger inFlight = new AtomicInteger();

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

  /**
   * Starts a scan of {@code rows} rows and returns how many parts to split it into: 1 without
   * threads or while another scan is in flight. Every call is paired with {@link #end()}.
   */
  int begin(int rows) {
    boolean alone = inFlight.getAndIncrement() == 0;
    return executor == null || !alone ? 1 : settings.partsFor(rows);
  }

  /** Ends a scan started with {@link #begin}. */
  void end() {
    inFlight.decrementAndGet();
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
