package dev.imagesearch.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for our own {@link SearchService} wrapper, for tests of routing and rendering only: it
 * ranks a fixed list of keys, so pages and JSON can be checked value by value.
 */
final class FixedSearchService implements SearchService {
  static final List<String> KEYS =
      List.of("red_circle.jpg", "blue_square.jpg", "green_star.jpg", "pink & <b>bold</b>.jpg");

  @Override
  public SearchOutcome search(String query, int k, int offset) {
    if (query.isBlank()) {
      throw HttpError.badRequest("the query is empty: describe the images you want");
    }
    return outcome(query.trim(), null, k, offset);
  }

  @Override
  public SearchOutcome similar(String key, int k, int offset) {
    if (!KEYS.contains(key)) {
      throw HttpError.notFound("no image with key '" + key + "' in the collection");
    }
    return outcome(null, key, k, offset);
  }

  private static SearchOutcome outcome(String query, String similarTo, int k, int offset) {
    List<HitView> hits = new ArrayList<>();
    for (int i = offset; i < Math.min(KEYS.size(), offset + k); i++) {
      String key = KEYS.get(i);
      hits.add(
          new HitView(
              i + 1,
              key,
              0.3 - i * 0.01,
              4.0 - i,
              "/files/thumbs/" + key + ".jpg",
              "/files/images/" + key,
              640,
              480));
    }
    return new SearchOutcome(
        query,
        similarTo,
        "strong",
        new RelevanceStats(
            "calibrated",
            99.6,
            97.0,
            "the best image scores above 99.6 % of unrelated queries tried on this collection",
            0.3,
            0.1,
            0.05,
            4.0,
            2.5,
            1.5),
        KEYS.size(),
        k,
        offset,
        hits,
        new Timings(1.5, 0.25, 2.0, false),
        "v1");
  }

  @Override
  public Readiness readiness() {
    return new Readiness(
        true, "test-model", "v1", KEYS.size(), null, false, "calibrated on this collection");
  }
}
