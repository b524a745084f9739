package dev.imagesearch.web;

import dev.imagesearch.search.RelevanceThresholds;
import dev.imagesearch.search.ScanPool;
import dev.imagesearch.search.Searcher;
import dev.imagesearch.store.IndexWatcher;
import dev.imagesearch.store.LoadedIndex;

/**
 * A {@link Searcher} for the live index version: built once per version the {@link IndexWatcher}
 * swaps in, and handed out as one snapshot, so a query in flight keeps the index and searcher it
 * started with.
 */
final class Rankings {
  private final IndexWatcher watcher;
  private final RelevanceThresholds thresholds;
  private final ScanPool scan;
  private volatile Ranking ranking;

  /** A loaded index version with the searcher over its matrix. */
  record Ranking(LoadedIndex index, Searcher searcher) {}

  Rankings(IndexWatcher watcher, RelevanceThresholds thresholds, ScanPool scan) {
    this.watcher = watcher;
    this.thresholds = thresholds;
    this.scan = scan;
  }

  /**
   * The searcher of the live version.
   *
   * @throws NotReadyException when no index is live yet (with the watcher's last error)
   */
  Ranking current() {
    LoadedIndex live =
        watcher
            .current()
            .orElseThrow(
                () ->
                    new NotReadyException(
                        "no index is being served yet"
                            + (watcher.status().lastError() == null
                                ? ""
                                : ": " + watcher.status().lastError())));
    Ranking current = ranking;
    if (current == null || current.index() != live) {
      current = new Ranking(live, new Searcher(live.matrix(), thresholds, scan));
      ranking = current;
    }
    return current;
  }

  /** The live version without building a searcher, or null (for readiness). */
  LoadedIndex live() {
    return watcher.current().orElse(null);
  }

  /** What went wrong with the newest index state (null when nothing), even while one serves. */
  String lastError() {
    return watcher.status().lastError();
  }

  /** Why no index is live (the watcher's last error), or "not loaded yet". */
  String problem() {
    String error = watcher.status().lastError();
    return error == null ? "not loaded yet" : error;
  }
}
