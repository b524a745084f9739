package dev.imagesearch.web;

import java.util.List;

/** What the routes need from the search engine; {@code ClipSearchService} is the real one. */
public interface SearchService {
  /** Ranks the collection for a text query (with {@code +}/{@code -} terms). */
  SearchOutcome search(String query, int k, int offset);

  /** Ranks the collection by similarity to a stored image. */
  SearchOutcome similar(String key, int k, int offset);

  /**
   * Up to {@code n} images spread evenly over the collection, for a first visit (rank, score and
   * relevance are 0); empty when no index is loaded.
   */
  default List<HitView> sample(int n) {
    return List.of();
  }

  /** Example queries a first visit is offered (configured for the collection). */
  default List<String> examples() {
    return List.of();
  }

  /** Whether model and index are loaded, and what is live. */
  Readiness readiness();
}
