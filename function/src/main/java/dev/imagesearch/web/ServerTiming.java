package dev.imagesearch.web;

import java.util.Locale;

/** Formats {@link Timings} as a {@code Server-Timing} header, which browsers' dev tools display. */
final class ServerTiming {
  private ServerTiming() {}

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
