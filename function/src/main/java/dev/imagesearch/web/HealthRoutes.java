package dev.imagesearch.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /healthz}: the process answers (never touches model, index or S3, so it stays up while
 * they are broken). {@code /readyz}: 200 only when a search can be answered, else 503 with why.
 */
final class HealthRoutes {
  private final SearchService service;

  HealthRoutes(SearchService service) {
    this.service = service;
  }

  HttpResponse health(HttpRequest request) {
    return HttpResponse.json(200, "{\"status\":\"ok\"}").withHeader("cache-control", "no-store");
  }

  HttpResponse ready(HttpRequest request) {
    Readiness r = service.readiness();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", r.ready());
    body.put("model", r.modelName());
    body.put("indexVersion", r.indexVersion());
    body.put("images", r.collectionSize());
    if (r.relevance() != null) {
      body.put("relevance", r.relevance());
    }
    if (r.problem() != null) {
      body.put("problem", r.problem());
    }
    return HttpResponse.json(r.ready() ? 200 : 503, Json.write(body))
        .withHeader("cache-control", "no-store");
  }
}
