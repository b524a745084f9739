package dev.imagesearch.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the routes see it, whichever door it came through (API Gateway event or socket).
 *
 * @param method upper-case HTTP method
 * @param path the path below the stage, always starting with {@code /}
 * @param basePath the stage prefix links must carry ({@code ""} or e.g. {@code /prod})
 * @param query decoded query parameters; repeated names keep every value in order
 * @param headers header names in lower case; repeated headers comma-joined as API Gateway does
 * @param body the decoded body (empty for GET)
 * @param requestId the id a user can quote when something fails
 */
public record HttpRequest(
    String method,
    String path,
    String basePath,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body,
    String requestId) {

  /**
   * The value of a query parameter, if given and not blank; 400 when it is given more than once
   * (which one was meant is a guess: {@code k=1&k=100}).
   */
  public Optional<String> param(String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw HttpError.badRequest(
          "parameter '" + name + "' is given " + values.size() + " times: give it once");
    }
    return values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** 400 naming the first query parameter that is not one of {@code known} (a typo, usually). */
  public void requireOnly(java.util.Set<String> known) {
    for (String name : query.keySet()) {
      if (!known.contains(name)) {
        throw HttpError.badRequest(
            "unknown parameter '"
                + name
                + "'; this route takes "
                + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  /** An integer parameter within [min, max], or the default when absent; 400 otherwise. */
  public int intParam(String name, int defaultValue, int min, int max) {
    Optional<String> raw = param(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get().trim());
      if (value < min || value > max) {
        throw HttpError.badRequest(
            "parameter '" + name + "' must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(
          "parameter '" + name + "' must be a whole number, got '" + raw.get() + "'");
    }
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** True for routes under {@code /api}, whose errors are JSON rather than a page. */
  public boolean isApi() {
    return path.equals("/api") || path.startsWith("/api/");
  }
}
