package dev.imagesearch.server;

import dev.imagesearch.ImageSearchException;
import java.time.Duration;
import java.util.Map;

/**
 * Where the socket server listens and the limits that keep it up on a public port. Every limit
 * answers in the route family's error format (see {@link ProtocolErrors}).
 *
 * @param bind address to bind ({@code IMAGE_SEARCH_BIND}, default 127.0.0.1; 0.0.0.0 on EC2)
 * @param port TCP port ({@code PORT}, default 8000)
 * @param threads request threads ({@code IMAGE_SEARCH_THREADS}, default 8)
 * @param idleTimeout {@code IMAGE_SEARCH_IDLE_TIMEOUT_MS} (default 30000): a kept-alive connection
 *     with nothing to say is closed after this long
 * @param headerTimeout {@code IMAGE_SEARCH_HEADER_TIMEOUT_MS} (default 10000): a request whose line
 *     and headers have not all arrived after this long gets 408 and is closed, however steadily its
 *     bytes trickle in (the idle timeout alone would be reset by every byte)
 * @param maxConnections {@code IMAGE_SEARCH_MAX_CONNECTIONS} (default 1000): further connections
 *     wait in the kernel's accept queue until one closes
 * @param maxHeaderBytes {@code IMAGE_SEARCH_MAX_HEADER_BYTES} (default 16384): request line plus
 *     headers; a longer URL gets 414, longer headers 431
 * @param maxBodyBytes {@code IMAGE_SEARCH_MAX_BODY_BYTES} (default 65536): a larger body gets 413
 * @param stopTimeout {@code IMAGE_SEARCH_STOP_TIMEOUT_MS} (default 10000): on SIGTERM, requests in
 *     flight get this long to finish before the process exits
 * @param rateLimit per-client token bucket ({@link RateLimit#fromEnv})
 */
public record ServerSettings(
    String bind,
    int port,
    int threads,
    Duration idleTimeout,
    Duration headerTimeout,
    int maxConnections,
    int maxHeaderBytes,
    int maxBodyBytes,
    Duration stopTimeout,
    RateLimit rateLimit) {

  /** Defaults for everything but the address and the thread count (tests, tools). */
  public ServerSettings(String bind, int port, int threads) {
    this(
        bind,
        port,
        threads,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        1000,
        16384,
        65536,
        Duration.ofSeconds(10),
        RateLimit.OFF);
  }

  public static ServerSettings fromEnv(Map<String, String> env) {
    return new ServerSettings(
        env.getOrDefault("IMAGE_SEARCH_BIND", "127.0.0.1"),
        number(env, "PORT", 8000, 0, 65535),
        number(env, "IMAGE_SEARCH_THREADS", 8, 1, 256),
        Duration.ofMillis(number(env, "IMAGE_SEARCH_IDLE_TIMEOUT_MS", 30000, 100, 3600000)),
        Duration.ofMillis(number(env, "IMAGE_SEARCH_HEADER_TIMEOUT_MS", 10000, 100, 600000)),
        number(env, "IMAGE_SEARCH_MAX_CONNECTIONS", 1000, 1, 100000),
        number(env, "IMAGE_SEARCH_MAX_HEADER_BYTES", 16384, 1024, 1 << 20),
        number(env, "IMAGE_SEARCH_MAX_BODY_BYTES", 65536, 0, 16 << 20),
        Duration.ofMillis(number(env, "IMAGE_SEARCH_STOP_TIMEOUT_MS", 10000, 0, 600000)),
        RateLimit.fromEnv(env));
  }

  /** A copy with another rate limit (tests). */
  public ServerSettings withRateLimit(RateLimit limit) {
    return new ServerSettings(
        bind,
        port,
        threads,
        idleTimeout,
        headerTimeout,
        maxConnections,
        maxHeaderBytes,
        maxBodyBytes,
        stopTimeout,
        limit);
  }

  /** A copy with other timeouts (tests). */
  public ServerSettings withTimeouts(Duration idle, Duration header) {
    return new ServerSettings(
        bind,
        port,
        threads,
        idle,
        header,
        maxConnections,
        maxHeaderBytes,
        maxBodyBytes,
        stopTimeout,
        rateLimit);
  }

  static int number(Map<String, String> env, String name, int fallback, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new ImageSearchException(
            name + " must be between " + min + " and " + max + ", got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ImageSearchException(name + " must be a whole number, got '" + raw + "'");
    }
  }
}
