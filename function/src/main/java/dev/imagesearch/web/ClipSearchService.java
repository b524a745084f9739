package dev.imagesearch.web;

import dev.imagesearch.search.QueryExpression;
import dev.imagesearch.search.QueryTerm;
import dev.imagesearch.search.QueryValidator;
import dev.imagesearch.search.SearchResult;
import dev.imagesearch.store.LoadedIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The real search engine behind the routes, as a sequence of steps each done by its own class:
 * validate and parse the query ({@link QueryValidator}, {@link QueryExpression}), embed it ({@link
 * QueryEmbedder}, cached), rank the live index version ({@link Rankings}), and present the hits
 * with signed links ({@link HitPresenter}).
 *
 * <p>Failures are domain exceptions ({@link dev.imagesearch.search.InvalidQueryException}, {@link
 * UnknownImageException}, {@link NotReadyException}, ...); {@link Router} alone turns them into
 * HTTP answers.
 */
public final class ClipSearchService implements SearchService {
  private final QueryValidator validator;
  private final QueryEmbedder embedder;
  private final Rankings rankings;
  private final HitPresenter presenter;
  private final boolean testModel;
  private final List<String> examples;

  /**
   * @param testModel whether the serving model is the project's small test model (the page says so
   *     next to the model name)
   * @param examples example queries a first visit is offered
   */
  ClipSearchService(
      QueryValidator validator,
      QueryEmbedder embedder,
      Rankings rankings,
      HitPresenter presenter,
      boolean testModel,
      List<String> examples) {
    this.validator = validator;
    this.embedder = embedder;
    this.rankings = rankings;
    this.presenter = presenter;
    this.testModel = testModel;
    this.examples = List.copyOf(examples);
  }

  @Override
  public SearchOutcome search(String rawQuery, int k, int offset) {
    long start = System.nanoTime();
    String query = validator.normalize(rawQuery);
    List<QueryTerm> terms = QueryExpression.parse(query);
    QueryEmbedder.Embedded embedded = embedder.embed(terms);
    Rankings.Ranking ranking = rankings.current();
    SearchResult result = ranking.searcher().search(embedded.vector(), k, offset);
    return presenter.present(
        query, null, result, ranking.index(), embedded.encodeNanos(), embedded.cached(), start);
  }

  @Override
  public SearchOutcome similar(String key, int k, int offset) {
    long start = System.nanoTime();
    Rankings.Ranking ranking = rankings.current();
    int row = ranking.index().rowOf(key).orElseThrow(() -> new UnknownImageException(key));
    SearchResult result = ranking.searcher().similar(row, k, offset);
    return presenter.present(null, key, result, ranking.index(), 0, false, start);
  }

  @Override
  public Readiness readiness() {
    String problem = null;
    String modelName = null;
    try {
      modelName = embedder.modelId();
    } catch (NotReadyException e) {
      problem = e.getMessage();
    }
    LoadedIndex live = rankings.live();
    boolean ready = problem == null && live != null;
    if (live == null && problem == null) {
      problem = "index: " + rankings.problem();
    } else if (problem == null && rankings.lastError() != null) {
      // Still serving an older version: ready, but /readyz says what failed (a refused index, an
      // out-of-memory load, an unreachable store) so an operator sees it without reading logs.
      problem = "index: " + rankings.lastError();
    }
    return new Readiness(
        ready,
        modelName,
        live == null ? null : live.version(),
        live == null ? 0 : live.size(),
        problem,
        modelName != null && testModel,
        rankings.relevanceBasis(live));
  }

  @Override
  public List<HitView> sample(int n) {
    LoadedIndex live = rankings.live();
    if (live == null || live.size() == 0) {
      return List.of();
    }
    int count = Math.min(n, live.size());
    List<HitView> sample = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      sample.add(presenter.unranked(live.records().get((int) ((long) i * live.size() / count))));
    }
    return sample;
  }

  @Override
  public List<String> examples() {
    return examples;
  }

  /** Whether the model has been loaded (by a query, readiness or SnapStart priming). */
  public boolean modelLoaded() {
    return embedder.loaded();
  }
}
