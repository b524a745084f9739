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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

  /**
   * A loaded index version with the searcher over its matrix ("more like this" and the model's own
   * text tower), and one per other text tower, judged by that tower's calibration.
   */
  final class Ranking {
    private final LoadedIndex index;
    private final Searcher searcher;
    private final Map<String, Searcher> byTower = new ConcurrentHashMap<>();

    Ranking(LoadedIndex index, Searcher searcher) {
      this.index = index;
      this.searcher = searcher;
    }

    LoadedIndex index() {
      return index;
    }

    Searcher searcher() {
      return searcher;
    }

    /** The searcher for queries embedded by the text tower {@code towerId}. */
    Searcher searcher(String towerId) {
      if (towerId.equals(index.manifest().modelId())) {
        return searcher;
      }
      return byTower.computeIfAbsent(
          towerId, id -> new Searcher(index.matrix(), judgeFor(index, id), scan));
    }
  }

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
      current =
          new Ranking(
              live, new Searcher(live.matrix(), judgeFor(live, live.manifest().modelId()), scan));
      ranking = current;
    }
    return current;
  }

  /**
   * Explicit overrides when set; else the version's own calibration for text tower {@code towerId}
   * (the model's other towers fall back to the model's own entry, for a version calibrated before
   * the tower existed); else the defaults.
   */
  private RelevanceJudge judgeFor(LoadedIndex index, String towerId) {
    if (overrides.isPresent()) {
      return new ThresholdJudge(overrides.get(), Judgement.OVERRIDES);
    }
    return index
        .calibration()
        .flatMap(
            c ->
                CalibratedJudge.of(c, towerId)
                    .or(() -> CalibratedJudge.of(c, index.manifest().modelId())))
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
