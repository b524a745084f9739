package dev.imagesearch.server;

import java.util.Map;

/**
 * The per-client token bucket: each client (by socket address) may send {@code burst} requests at
 * once and then {@code perSecond} a second; beyond that it gets 429 with {@code Retry-After}.
 *
 * @param perSecond {@code IMAGE_SEARCH_RATE_LIMIT}: sustained requests per second per client; 0
 *     (the default) turns the limiter off
 * @param burst {@code IMAGE_SEARCH_RATE_BURST}: bucket size (default twice the rate, at least 1)
 * @param limitLoopback {@code IMAGE_SEARCH_RATE_LIMIT_LOOPBACK}: also limit clients on 127.0.0.1 /
 *     ::1 (default false: a reverse proxy or a benchmark on the same host is not one client)
 */
public record RateLimit(double perSecond, int burst, boolean limitLoopback) {
  public static final RateLimit OFF = new RateLimit(0, 1, false);

  public boolean enabled() {
    return perSecond > 0;
  }

  static RateLimit fromEnv(Map<String, String> env) {
    int rate = ServerSettings.number(env, "IMAGE_SEARCH_RATE_LIMIT", 0, 0, 1_000_000);
    int burst =
        ServerSettings.number(env, "IMAGE_SEARCH_RATE_BURST", Math.max(1, 2 * rate), 1, 10_000_000);
    return new RateLimit(
        rate,
        burst,
        Boolean.parseBoolean(env.getOrDefault("IMAGE_SEARCH_RATE_LIMIT_LOOPBACK", "")));
  }
}
