package dev.imagesearch.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link SearchOutcome} into the values {@code page.mustache} shows: links with the stage
 * prefix, display sizes for thumbnails, the verdict in words. Everything here is plain text; the
 * template escapes it.
 */
final class PageView {
  static final int THUMB_SIDE = 320;

  private PageView() {}

  static Map<String, Object> of(
      HttpRequest request,
      Readiness readiness,
      SearchOutcome outcome,
      String error,
      int maxQueryLength,
      List<HitView> sample,
      List<String> examples) {
    Map<String, Object> model = new LinkedHashMap<>();
    String base = request.basePath();
    model.put("base", base);
    model.put("maxQueryLength", maxQueryLength);
    model.put(
        "query",
        outcome != null && outcome.query() != null
            ? outcome.query()
            : request.param("q").orElse(""));
    model.put("error", error);
    model.put("requestId", request.requestId());
    model.put("collectionSize", readiness.collectionSize());
    model.put("modelName", readiness.modelName() == null ? "not loaded" : readiness.modelName());
    model.put("tinyModel", readiness.tinyModel());
    model.put("indexVersion", readiness.indexVersion() == null ? "none" : readiness.indexVersion());
    if (outcome != null) {
      model.put("result", result(base, outcome));
    } else if (error == null && !sample.isEmpty()) {
      Map<String, Object> first = new LinkedHashMap<>();
      List<Map<String, Object>> images = new ArrayList<>();
      for (HitView hit : sample) {
        Map<String, Object> view = thumbnail(base, hit);
        view.put("alt", "From the collection: " + describe(hit.key()));
        images.add(view);
      }
      first.put("images", images);
      List<Map<String, String>> links = new ArrayList<>();
      for (String example : examples) {
        links.add(Map.of("text", example, "url", base + "/?q=" + encode(example)));
      }
      first.put("examples", links);
      first.put("hasExamples", !links.isEmpty());
      model.put("firstVisit", first);
    }
    return model;
  }

  private static Map<String, Object> result(String base, SearchOutcome outcome) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("verdict", outcome.verdict());
    result.put("verdictText", verdictText(outcome));
    result.put("standingText", standingText(outcome.stats()));
    int first = outcome.hits().isEmpty() ? 0 : outcome.offset() + 1;
    result.put("first", first);
    result.put("last", outcome.offset() + outcome.hits().size());
    result.put("total", outcome.total());
    result.put("totalMs", String.format(Locale.ROOT, "%.1f", outcome.timings().totalMs()));
    List<Map<String, Object>> hits = new ArrayList<>();
    boolean calibrated = outcome.stats() != null && outcome.stats().standing() != null;
    for (HitView hit : outcome.hits()) {
      hits.add(hit(base, hit, calibrated));
    }
    result.put("hits", hits);
    String self = selfLink(base, outcome);
    if (outcome.offset() > 0) {
      result.put("previousLink", self + "&offset=" + Math.max(0, outcome.offset() - outcome.k()));
    }
    if (outcome.offset() + outcome.hits().size() < outcome.total()) {
      result.put("nextLink", self + "&offset=" + (outcome.offset() + outcome.k()));
    }
    if (outcome.similarTo() != null) {
      result.put(
          "similarTo",
          Map.of(
              "key",
              outcome.similarTo(),
              "url",
              base + "/?similar=" + encode(outcome.similarTo())));
    }
    return result;
  }

  private static String selfLink(String base, SearchOutcome outcome) {
    String what =
        outcome.similarTo() != null
            ? "similar=" + encode(outcome.similarTo())
            : "q=" + encode(outcome.query());
    return base + "/?" + what + "&k=" + outcome.k();
  }

  private static Map<String, Object> hit(String base, HitView hit, boolean calibrated) {
    Map<String, Object> view = thumbnail(base, hit);
    view.put("rank", hit.rank());
    view.put("alt", "Result " + hit.rank() + ": " + describe(hit.key()));
    view.put("scoreText", String.format(Locale.ROOT, "%.3f", hit.score()));
    if (calibrated) {
      // The percentage of unrelated queries whose best image scores below this hit.
      view.put("relevanceText", "above " + RelevanceStats.percent(hit.relevance() / 100) + " %");
      view.put("relevanceTitle", "scores above this share of unrelated queries' best images");
      view.put("relevanceClass", hit.relevance() >= 98 ? "high" : "low");
    } else {
      view.put("relevanceText", String.format(Locale.ROOT, "%+.1fσ", hit.relevance()));
      view.put(
          "relevanceTitle", "standard deviations above the collection's average for this query");
      view.put("relevanceClass", hit.relevance() >= 3 ? "high" : "low");
    }
    return view;
  }

  /** What every image tile needs: links, thumbnail size, "more like this". */
  private static Map<String, Object> thumbnail(String base, HitView hit) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("key", hit.key());
    view.put("url", hit.url());
    view.put("thumbnailUrl", hit.thumbnailUrl());
    double scale =
        Math.min(1.0, (double) THUMB_SIDE / Math.max(1, Math.max(hit.width(), hit.height())));
    view.put("thumbWidth", Math.max(1, Math.round(hit.width() * scale)));
    view.put("thumbHeight", Math.max(1, Math.round(hit.height() * scale)));
    view.put("similarLink", base + "/?similar=" + encode(hit.key()));
    return view;
  }

  /** A readable description from the key: "photos/red_circle-2.jpg" becomes "red circle 2". */
  static String describe(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      name = name.substring(0, dot);
    }
    return name.replaceAll("[_\\-]+", " ").trim();
  }

  private static String verdictText(SearchOutcome outcome) {
    String asked =
        outcome.similarTo() != null ? "this image" : "\u201c" + outcome.query() + "\u201d";
    return switch (outcome.verdict()) {
      case "strong" -> "Good matches";
      case "weak" ->
          "Only weak matches: nothing here looks much like " + asked + ". These are the closest.";
      default -> "No good match for " + asked + ". These are merely the closest images.";
    };
  }

  /** The standing of the best image in a sentence ("The best image scores above ..."). */
  private static String standingText(RelevanceStats stats) {
    if (stats == null || stats.summary() == null) {
      return null;
    }
    String s = stats.summary();
    return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
