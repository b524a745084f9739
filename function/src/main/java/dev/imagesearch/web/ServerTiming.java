package dev.imagesearch.web;

import java.util.Locale;

/**
 * Formats {@link Timings} as a {@code Server-Timing} header, which browsers' dev tools display, and
 * adds the index version and hit count the request log reports ({@link RequestLog}).
 */
final class ServerTiming {
  private ServerTiming() {}

  /** {@code response} with the outcome's timing, index version and hit count headers. */
  static HttpResponse add(HttpResponse response, SearchOutcome outcome) {
    return response
        .withHeader("server-timing", of(outcome.timings()))
        .withHeader("x-index-version", outcome.indexVersion())
        .withHeader("x-hit-count", Integer.toString(outcome.hits().size()));
  }

  static String of(Timings t) {
    return String.format(
        Locale.ROOT,
        "encode;dur=%.2f%s, scan;dur=%.2f, total;dur=%.2f",
        t.encodeMs(),
        t.cached() ? ";desc=\"cached\"" : "",
        t.scanMs(),
        t.totalMs());
  }
}
