package dev.imagesearch.web;

import dev.imagesearch.search.CalibratedJudge;
import dev.imagesearch.search.Judgement;
import dev.imagesearch.search.RelevanceJudge;
import dev.imagesearch.search.RelevanceThresholds;
import dev.imagesearch.search.ScanPool;
import dev.imagesearch.search.Searcher;
import dev.imagesearch.search.ThresholdJudge;
import dev.imagesearch.store.IndexWatcher;
import dev.imagesearch.store.LoadedIndex;
import java.util.Optional;

/**
 * A {@link Searcher} for the live index version: built once per version the {@link IndexWatcher}
 * swaps in, and handed out as one snapshot, so a query in flight keeps the index and searcher it
 * started with. Each version is judged by its own calibration ({@code calibration.json}, measured
 * at publish time) unless thresholds are overridden explicitly; a version published before
 * calibration existed gets the default thresholds.
 */
final class Rankings {
  private final IndexWatcher watcher;
  private final Optional<RelevanceThresholds> overrides;
  private final ScanPool scan;
  private volatile Ranking ranking;

  /** A loaded index version with the searcher over its matrix. */
  record Ranking(LoadedIndex index, Searcher searcher) {}

  /**
   * @param overrides explicit thresholds ({@code relevance.json} or {@code IMAGE_SEARCH_*_Z},
   *     {@code _MARGIN}, {@code _SCORE}) that replace every version's calibration
   */
  Rankings(IndexWatcher watcher, Optional<RelevanceThresholds> overrides, ScanPool scan) {
    this.watcher = watcher;
    this.overrides = overrides;
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
      current = new Ranking(live, new Searcher(live.matrix(), judgeFor(live), scan));
      ranking = current;
    }
    return current;
  }

  /**
   * Explicit overrides when set; else the version's own calibration for the text tower that made
   * it; else the defaults.
   */
  private RelevanceJudge judgeFor(LoadedIndex index) {
    if (overrides.isPresent()) {
      return new ThresholdJudge(overrides.get(), Judgement.OVERRIDES);
    }
    return index
        .calibration()
        .flatMap(c -> CalibratedJudge.of(c, index.manifest().modelId()))
        .<RelevanceJudge>map(j -> j)
        .orElse(ThresholdJudge.DEFAULTS);
  }

  /** How verdicts on {@code live} are decided, in words for {@code /readyz} (null: no index). */
  String relevanceBasis(LoadedIndex live) {
    if (overrides.isPresent()) {
      return "overrides: fixed thresholds from relevance.json or IMAGE_SEARCH_*_Z/_MARGIN/_SCORE";
    }
    if (live == null) {
      return null;
    }
    if (live.calibration().isPresent()) {
      return "calibrated on this collection at publish time";
    }
    return "defaults: index "
        + live.version()
        + " has no calibration (published before it existed); the next index run or"
        + " 'image-search calibrate' adds it";
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
