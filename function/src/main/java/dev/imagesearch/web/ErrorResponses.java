package dev.imagesearch.web;

import java.util.Map;

/**
 * Error answers a person can act on: JSON {@code {"error": {...}}} under {@code /api}, a short page
 * elsewhere. Both carry the request id, so a user can quote it and an operator find the log.
 */
public final class ErrorResponses {
  private final Templates templates;

  public ErrorResponses(Templates templates) {
    this.templates = templates;
  }

  /** The body of an API error. */
  public record ApiError(int status, String message, String requestId) {}

  public HttpResponse of(HttpRequest request, int status, String message) {
    if (request.isApi()) {
      return HttpResponse.json(
              status,
              Json.write(Map.of("error", new ApiError(status, message, request.requestId()))))
          .withHeader("cache-control", "no-store");
    }
    Map<String, Object> model =
        Map.of(
            "status",
            status,
            "message",
            message,
            "requestId",
            request.requestId(),
            "base",
            request.basePath());
    return HttpResponse.html(status, templates.render("error.mustache", model))
        .withHeader("cache-control", "no-store");
  }
}
