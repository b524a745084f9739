package dev.imagesearch.web;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.TextEmbedder;
import dev.imagesearch.search.LruCache;
import dev.imagesearch.search.QueryCombiner;
import dev.imagesearch.search.QueryExpression;
import dev.imagesearch.search.QueryTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the terms of a query into one query embedding, with an LRU cache of term embeddings.
 *
 * <p>The cache is keyed by the model's id and the term's text, the id read from the model that
 * encodes: should a different model ever serve (a reloaded directory, another tower), its vectors
 * are never mixed with the old model's.
 *
 * <pre>{@code
 * QueryEmbedder embedder = new QueryEmbedder(lazyModel, 1024);
 * QueryEmbedder.Embedded q = embedder.embed(QueryExpression.parse("beach + sunset"));
 * }</pre>
 */
final class QueryEmbedder {
  private final Lazy<? extends TextEmbedder> model;
  private final LruCache<CacheKey, float[]> cache;

  /** One cached term embedding: which model made it, for which text. */
  private record CacheKey(String modelId, String text) {}

  /**
   * A query embedding and what it cost.
   *
   * @param vector the combined, L2-normalized query embedding
   * @param encodeNanos time spent in the text encoder (0 when every term was cached)
   * @param cached whether every term came from the cache
   */
  record Embedded(float[] vector, long encodeNanos, boolean cached) {}

  QueryEmbedder(Lazy<? extends TextEmbedder> model, int cacheSize) {
    this.model = model;
    this.cache = new LruCache<>(Math.max(1, cacheSize));
  }

  /**
   * One cache lookup per term; only the terms not cached are encoded (and timed).
   *
   * @throws NotReadyException when the model cannot be loaded
   * @throws dev.imagesearch.search.InvalidQueryException when the terms cancel each other out
   */
  Embedded embed(List<QueryTerm> terms) {
    TextEmbedder encoder = model();
    String modelId = encoder.modelId();
    boolean cached = true;
    long encodeNanos = 0;
    List<float[]> embeddings = new ArrayList<>(terms.size());
    for (QueryTerm term : terms) {
      CacheKey key = new CacheKey(modelId, term.text());
      float[] embedding = cache.get(key);
      if (embedding == null) {
        cached = false;
        long start = System.nanoTime();
        embedding = encoder.embedText(term.text());
        encodeNanos += System.nanoTime() - start;
        cache.put(key, embedding);
      }
      embeddings.add(embedding);
    }
    float[] vector = QueryCombiner.combine(embeddings, QueryExpression.weights(terms));
    return new Embedded(vector, encodeNanos, cached);
  }

  /** The id of the serving model (loads it when needed). */
  String modelId() {
    return model().modelId();
  }

  /** Whether the model has been loaded (by a query, readiness or SnapStart priming). */
  boolean loaded() {
    return model.isCreated();
  }

  private TextEmbedder model() {
    try {
      return model.get();
    } catch (NotReadyException e) {
      throw e;
    } catch (ImageSearchException e) {
      throw new NotReadyException("the model is not available: " + e.getMessage());
    }
  }
}
