package dev.imagesearch.web;

import dev.imagesearch.search.Hit;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.search.SearchResult;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.LoadedIndex;
import dev.imagesearch.store.ObjectKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a ranking into what pages and JSON show: scores rounded for display, and links to each
 * hit's thumbnail and original signed by the store (S3 presigned, or the local file route) for
 * {@code urlTtl}. Key layout from {@link ObjectKeys}, the same the indexer writes with.
 */
final class HitPresenter {
  private final BlobStore store;
  private final Duration urlTtl;

  HitPresenter(BlobStore store, Duration urlTtl) {
    this.store = store;
    this.urlTtl = urlTtl;
  }

  /**
   * What one search answers.
   *
   * @param query the normalized text query, or null for "more like this"
   * @param similarTo the key of the example image, or null for a text query
   * @param encodeNanos time in the text encoder
   * @param cached whether the query embedding came from the cache
   * @param startNanos {@link System#nanoTime()} when the request reached the service
   */
  SearchOutcome present(
      String query,
      String similarTo,
      SearchResult result,
      LoadedIndex index,
      long encodeNanos,
      boolean cached,
      long startNanos) {
    List<HitView> hits = new ArrayList<>(result.hits().size());
    for (Hit hit : result.hits()) {
      hits.add(hit(hit, index.records().get(hit.row())));
    }
    double totalMs = (System.nanoTime() - startNanos) / 1e6;
    Timings timings =
        new Timings(
            round(encodeNanos / 1e6, 3),
            round(result.scanNanos() / 1e6, 3),
            round(totalMs, 3),
            cached);
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

  private HitView hit(Hit hit, ImageRecord record) {
    return view(hit.rank(), record, round(hit.score(), 4), round(hit.relevance(), 2));
  }

  /** An image of the collection shown outside a ranking (rank, score and relevance 0). */
  HitView unranked(ImageRecord record) {
    return view(0, record, 0, 0);
  }

  private HitView view(int rank, ImageRecord record, double score, double relevance) {
    return new HitView(
        rank,
        record.key(),
        score,
        relevance,
        link(ObjectKeys.thumbnail(record.key())),
        link(ObjectKeys.original(record.key())),
        record.width(),
        record.height());
  }

  private String link(String storeKey) {
    return store.signedUrl(storeKey, urlTtl).toString();
  }

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
