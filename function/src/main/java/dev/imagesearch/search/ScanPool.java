package dev.imagesearch.search;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that run the extra parts of parallel scans, shared by all searchers (one per
 * core, minus the caller's). Kept apart from the common fork-join pool so a busy parallel stream
 * elsewhere cannot delay a query.
 */
final class ScanPool {
  private ScanPool() {}

  private static final class Holder {
    private static final AtomicInteger COUNT = new AtomicInteger();
    static final ExecutorService POOL =
        Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
            task -> {
              Thread t = new Thread(task, "search-scan-" + COUNT.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  static ExecutorService shared() {
    return Holder.POOL;
  }
}
