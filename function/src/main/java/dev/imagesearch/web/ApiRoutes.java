package dev.imagesearch.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON API: {@code /api/search?q=&k=&offset=} and {@code /api/similar?key=&k=&offset=}. Errors
 * are JSON too ({@link ErrorResponses}).
 */
final class ApiRoutes {
  private final SearchService service;
  private final WebSettings settings;

  ApiRoutes(SearchService service, WebSettings settings) {
    this.service = service;
    this.settings = settings;
  }

  HttpResponse search(HttpRequest request) {
    request.requireOnly(java.util.Set.of("q", "k", "offset"));
    String q =
        request
            .param("q")
            .orElseThrow(
                () ->
                    HttpError.badRequest(
                        "parameter 'q' is required: describe the images you want"));
    return answer(service.search(q, k(request), offset(request)));
  }

  HttpResponse similar(HttpRequest request) {
    request.requireOnly(java.util.Set.of("key", "k", "offset"));
    String key =
        request
            .param("key")
            .orElseThrow(
                () ->
                    HttpError.badRequest(
                        "parameter 'key' is required: the key of an image in the collection"));
    return answer(service.similar(key, k(request), offset(request)));
  }

  private int k(HttpRequest request) {
    return request.intParam("k", settings.defaultK(), 1, settings.maxK());
  }

  private int offset(HttpRequest request) {
    return request.intParam("offset", 0, 0, settings.maxOffset());
  }

  private static HttpResponse answer(SearchOutcome outcome) {
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, Object> query = new LinkedHashMap<>();
    if (outcome.query() != null) {
      query.put("q", outcome.query());
    }
    if (outcome.similarTo() != null) {
      query.put("similarTo", outcome.similarTo());
    }
    query.put("verdict", outcome.verdict());
    query.put("total", outcome.total());
    query.put("k", outcome.k());
    query.put("offset", outcome.offset());
    query.put("indexVersion", outcome.indexVersion());
    query.put("timings", outcome.timings());
    query.put("stats", outcome.stats());
    body.put("query", query);
    body.put("hits", outcome.hits());
    return ServerTiming.add(
        HttpResponse.json(200, Json.write(body)).withHeader("cache-control", "no-store"), outcome);
  }
}
