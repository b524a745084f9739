package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.TextEmbedder;
import dev.imagesearch.search.CalibratedJudge;
import dev.imagesearch.search.Hit;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.search.InvalidQueryException;
import dev.imagesearch.search.Judgement;
import dev.imagesearch.search.LruCache;
import dev.imagesearch.search.QueryCombiner;
import dev.imagesearch.search.QueryExpression;
import dev.imagesearch.search.QueryTerm;
import dev.imagesearch.search.QueryValidator;
import dev.imagesearch.search.RelevanceJudge;
import dev.imagesearch.search.RelevanceThresholds;
import dev.imagesearch.search.ScanSettings;
import dev.imagesearch.search.SearchResult;
import dev.imagesearch.search.Searcher;
import dev.imagesearch.search.ThresholdJudge;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.IndexWatcher;
import dev.imagesearch.store.LoadedIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The real search engine behind the routes: CLIP text encoder (with an LRU cache of query
 * embeddings), the live index from the {@link IndexWatcher}, exact top-k from the {@link Searcher},
 * and signed links to thumbnails and originals from the {@link BlobStore}.
 *
 * <p>Queries in flight keep the index snapshot they started with; a new version swapped in by the
 * watcher gets its own searcher on the next query.
 */
public final class ClipSearchService implements SearchService {
  private final Supplier<? extends TextEmbedder> model;
  private final IndexWatcher watcher;
  private final BlobStore store;
  private final Duration urlTtl;
  private final QueryValidator validator;
  private final Optional<RelevanceThresholds> overrides;
  private final LruCache<String, float[]> cache;
  private final LocalFiles localFiles;
  private final List<String> examples;
  private volatile Ranking ranking;

  /** A loaded index with the searcher over its matrix. */
  private record Ranking(LoadedIndex index, Searcher searcher) {}

  public ClipSearchService(
      Supplier<? extends TextEmbedder> model,
      IndexWatcher watcher,
      BlobStore store,
      Duration urlTtl,
      AppConfig config,
      Optional<RelevanceThresholds> overrides,
      LocalFiles localFiles) {
    this.model = model;
    this.watcher = watcher;
    this.store = store;
    this.urlTtl = urlTtl;
    this.validator = new QueryValidator(config.web().maxQueryLength());
    this.overrides = overrides;
    this.cache = new LruCache<>(Math.max(1, config.queryCacheSize()));
    this.localFiles = localFiles;
    this.examples = config.examples();
  }

  @Override
  public SearchOutcome search(String rawQuery, int k, int offset) {
    long start = System.nanoTime();
    String query;
    List<QueryTerm> terms;
    try {
      query = validator.normalize(rawQuery);
      terms = QueryExpression.parse(query);
    } catch (InvalidQueryException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    TextEmbedder encoder = model();
    // One cache lookup per term; only the terms not cached are encoded (and timed).
    boolean cached = true;
    long encodeNanos = 0;
    List<float[]> embeddings = new ArrayList<>(terms.size());
    for (QueryTerm term : terms) {
      float[] embedding = cache.get(term.text());
      if (embedding == null) {
        cached = false;
        long encodeStart = System.nanoTime();
        embedding = encoder.embedText(term.text());
        encodeNanos += System.nanoTime() - encodeStart;
        cache.put(term.text(), embedding);
      }
      embeddings.add(embedding);
    }
    float[] embedding;
    try {
      embedding = QueryCombiner.combine(embeddings, QueryExpression.weights(terms));
    } catch (InvalidQueryException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    double encodeMs = encodeNanos / 1e6;
    Ranking r = ranking();
    SearchResult result;
    try {
      result = r.searcher().search(embedding, k, offset);
    } catch (InvalidQueryException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    return outcome(query, null, result, r.index(), start, encodeMs, cached);
  }

  @Override
  public SearchOutcome similar(String key, int k, int offset) {
    long start = System.nanoTime();
    Ranking r = ranking();
    int row =
        r.index()
            .rowOf(key)
            .orElseThrow(
                () -> HttpError.notFound("no image with key '" + key + "' in the collection"));
    SearchResult result;
    try {
      result = r.searcher().similar(row, k, offset);
    } catch (InvalidQueryException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    return outcome(null, key, result, r.index(), start, 0, false);
  }

  private SearchOutcome outcome(
      String query,
      String similarTo,
      SearchResult result,
      LoadedIndex index,
      long start,
      double encodeMs,
      boolean cached) {
    List<HitView> hits = new ArrayList<>(result.hits().size());
    for (Hit hit : result.hits()) {
      hits.add(
          view(
              hit.rank(),
              index.records().get(hit.row()),
              round(hit.score(), 4),
              round(hit.relevance(), 2)));
    }
    double totalMs = (System.nanoTime() - start) / 1e6;
    Timings timings =
        new Timings(
            round(encodeMs, 3), round(result.scanNanos() / 1e6, 3), round(totalMs, 3), cached);
    return new SearchOutcome(
        query,
        similarTo,
        result.verdict().name().toLowerCase(Locale.ROOT),
        RelevanceStats.of(result.stats(), result.judgement()),
        result.total(),
        result.k(),
        result.offset(),
        hits,
        timings,
        index.version());
  }

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  private TextEmbedder model() {
    try {
      return model.get();
    } catch (ImageSearchException e) {
      throw HttpError.unavailable("the model is not available: " + e.getMessage());
    }
  }

  private Ranking ranking() {
    LoadedIndex live =
        watcher
            .current()
            .orElseThrow(
                () ->
                    HttpError.unavailable(
                        "no index is being served yet"
                            + (watcher.status().lastError() == null
                                ? ""
                                : ": " + watcher.status().lastError())));
    Ranking current = ranking;
    if (current == null || current.index() != live) {
      current =
          new Ranking(live, new Searcher(live.matrix(), judgeFor(live), ScanSettings.DEFAULTS));
      ranking = current;
    }
    return current;
  }

  /**
   * Explicit overrides when set; else the index version's own calibration for the text tower that
   * made it; else (a version published before calibration existed) the defaults.
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

  /** How the verdict of the live index is decided, in words for {@code /readyz}. */
  private String relevanceBasis(LoadedIndex live) {
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

  private HitView view(int rank, ImageRecord record, double score, double relevance) {
    return new HitView(
        rank,
        record.key(),
        score,
        relevance,
        store.signedUrl("thumbs/" + record.key() + ".jpg", urlTtl).toString(),
        store.signedUrl("images/" + record.key(), urlTtl).toString(),
        record.width(),
        record.height());
  }

  @Override
  public List<HitView> sample(int n) {
    LoadedIndex live = watcher.current().orElse(null);
    if (live == null || live.size() == 0) {
      return List.of();
    }
    int count = Math.min(n, live.size());
    List<HitView> sample = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int row = (int) ((long) i * live.size() / count);
      sample.add(view(0, live.records().get(row), 0, 0));
    }
    return sample;
  }

  @Override
  public List<String> examples() {
    return examples;
  }

  @Override
  public Readiness readiness() {
    String problem = null;
    String modelName = null;
    try {
      modelName = model.get().modelId();
    } catch (ImageSearchException e) {
      problem = "model: " + e.getMessage();
    }
    IndexWatcher.Status status = watcher.status();
    LoadedIndex live = watcher.current().orElse(null);
    if (live == null && problem == null) {
      problem = "index: " + (status.lastError() == null ? "not loaded yet" : status.lastError());
    }
    return new Readiness(
        problem == null,
        modelName,
        live == null ? null : live.version(),
        live == null ? 0 : live.size(),
        problem,
        modelName != null && modelName.toLowerCase(Locale.ROOT).contains("tiny"),
        relevanceBasis(live));
  }

  @Override
  public HttpResponse file(HttpRequest request) {
    if (localFiles == null) {
      return SearchService.super.file(request);
    }
    return localFiles.serve(request);
  }

  /** Whether the model has been loaded (by a query, readiness or SnapStart priming). */
  public boolean modelLoaded() {
    return !(model instanceof Lazy<?> lazy) || lazy.isCreated();
  }

  /** The index watcher, for SnapStart's restore hook. */
  IndexWatcher watcher() {
    return watcher;
  }
}
