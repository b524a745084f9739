package dev.imagesearch.web;

/** What the routes need from the search engine; {@code ClipSearchService} is the real one. */
public interface SearchService {
  /** Ranks the collection for a text query (with {@code +}/{@code -} terms). */
  SearchOutcome search(String query, int k, int offset);

  /** Ranks the collection by similarity to a stored image. */
  SearchOutcome similar(String key, int k, int offset);

  /** Whether model and index are loaded, and what is live. */
  Readiness readiness();
}
