package dev.imagesearch.server;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client address ({@link RateLimit}). Buckets that have refilled completely
 * are forgotten on the next sweep, so a scan from many addresses costs memory only while they are
 * active.
 *
 * <pre>{@code
 * RateLimiter limiter = new RateLimiter(new RateLimit(5, 10, false), System::nanoTime);
 * OptionalLong wait = limiter.acquire("203.0.113.9"); // empty: go ahead; else seconds to wait
 * }</pre>
 */
final class RateLimiter {
  private static final int SWEEP_EVERY = 4096;
  private final RateLimit limit;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private int untilSweep = SWEEP_EVERY;

  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(double tokens, long updated) {
      this.tokens = tokens;
      this.updated = updated;
    }
  }

  RateLimiter(RateLimit limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.nanoClock = nanoClock;
  }

  /**
   * Takes one token for {@code client}: empty when the request may go ahead, otherwise the whole
   * seconds until a token is back (the {@code Retry-After} value, at least 1).
   */
  OptionalLong acquire(String client) {
    if (!limit.enabled() || (!limit.limitLoopback() && isLoopback(client))) {
      return OptionalLong.empty();
    }
    long now = nanoClock.getAsLong();
    sweepNow(now);
    Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(limit.burst(), now));
    synchronized (bucket) {
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return OptionalLong.empty();
      }
      double seconds = (1 - bucket.tokens) / limit.perSecond();
      return OptionalLong.of(Math.max(1, (long) Math.ceil(seconds)));
    }
  }

  /** Clients currently tracked (for tests: full buckets are forgotten). */
  int tracked() {
    return buckets.size();
  }

  private void refill(Bucket bucket, long now) {
    double elapsed = (now - bucket.updated) / 1e9;
    bucket.tokens = Math.min(limit.burst(), bucket.tokens + elapsed * limit.perSecond());
    bucket.updated = now;
  }

  private void sweepNow(long now) {
    // Racy counter on purpose: an occasional extra or missed sweep does no harm.
    if (--untilSweep > 0) {
      return;
    }
    untilSweep = SWEEP_EVERY;
    buckets
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                refill(e.getValue(), now);
                return e.getValue().tokens >= limit.burst();
              }
            });
  }

  /** Literal peer addresses only (no name lookup): 127.0.0.0/8 and ::1 in its spellings. */
  static boolean isLoopback(String address) {
    String a = address == null ? "" : address.replace("[", "").replace("]", "");
    return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1");
  }
}
