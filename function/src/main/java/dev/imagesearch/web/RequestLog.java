package dev.imagesearch.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON line per request, whichever door it came through: time, request id (the one the user saw
 * in the answer), method, route, status, total and per-stage milliseconds, hit count and index
 * version. The query text is logged only when {@code IMAGE_SEARCH_LOG_QUERIES=true}: what people
 * search for is theirs. Never logged: query strings (they carry link signatures), headers, bodies.
 *
 * <pre>{@code
 * {"time":"2026-12-01T14:00:00.123Z","requestId":"…","method":"GET","route":"/api/search",
 *  "status":200,"totalMs":3.1,"stages":{"encode":1.2,"scan":0.4},"hits":24,"indexVersion":"…"}
 * }</pre>
 *
 * On the socket server the lines go to standard output (journald on EC2); on Lambda to the
 * function's logger, which wraps them in its JSON log format for CloudWatch.
 */
public final class RequestLog {
  private static final Pattern STAGE = Pattern.compile("(\\w+);dur=([0-9.]+)");
  private final boolean logQueries;

  public RequestLog(boolean logQueries) {
    this.logQueries = logQueries;
  }

  public static RequestLog fromEnv(Map<String, String> env) {
    return new RequestLog(Boolean.parseBoolean(env.getOrDefault("IMAGE_SEARCH_LOG_QUERIES", "")));
  }

  /**
   * Writes the line for one answered request to {@code sink}.
   *
   * @param query the search text or similar-image key, or null (logged only when enabled)
   */
  public void log(
      Consumer<String> sink,
      String requestId,
      String method,
      String route,
      String query,
      HttpResponse response,
      long startNanos) {
    sink.accept(line(requestId, method, route, query, response, startNanos));
  }

  String line(
      String requestId,
      String method,
      String route,
      String query,
      HttpResponse response,
      long startNanos) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("requestId", requestId);
    line.put("method", method);
    line.put("route", route);
    line.put("status", response.status());
    line.put("totalMs", Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0);
    Map<String, Double> stages = new LinkedHashMap<>();
    Matcher m = STAGE.matcher(response.headers().getOrDefault("server-timing", ""));
    while (m.find()) {
      if (!m.group(1).equals("total")) {
        stages.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    if (!stages.isEmpty()) {
      line.put("stages", stages);
    }
    String hits = response.headers().get("x-hit-count");
    if (hits != null) {
      line.put("hits", Integer.parseInt(hits));
    }
    if (response.headers().get("x-index-version") != null) {
      line.put("indexVersion", response.headers().get("x-index-version"));
    }
    if (logQueries && query != null) {
      line.put("query", query);
    }
    return Json.write(line);
  }
}
