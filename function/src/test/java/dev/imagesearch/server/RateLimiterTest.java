package dev.imagesearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.web.SearchHandler;
import dev.imagesearch.web.TestServices;
import dev.imagesearch.web.WebApp;
import dev.imagesearch.web.WebSettings;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-client token bucket, on a hand-turned clock and then through a real socket. */
class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstThenTheSustainedRateThenRetryAfter() {
    AtomicLong now = new AtomicLong();
    // 2 a second, bucket of 3: three at once, the fourth waits; half a second refills one token.
    RateLimiter limiter = new RateLimiter(new RateLimit(2, 3, false), now::get);
    for (int i = 0; i < 3; i++) {
      assertEquals(OptionalLong.empty(), limiter.acquire("203.0.113.9"), "request " + i);
    }
    // Empty bucket: one token takes 1/2 s, rounded up to whole seconds for Retry-After.
    assertEquals(OptionalLong.of(1), limiter.acquire("203.0.113.9"));
    assertEquals(OptionalLong.empty(), limiter.acquire("198.51.100.7"), "another client");
    now.addAndGet(SECOND / 2);
    assertEquals(OptionalLong.empty(), limiter.acquire("203.0.113.9"));
    assertEquals(OptionalLong.of(1), limiter.acquire("203.0.113.9"));
  }

  @Test
  void slowRatesAskForLongerWaits() {
    AtomicLong now = new AtomicLong();
    // 0.2 a second (one every 5 s), bucket of 1.
    RateLimiter limiter = new RateLimiter(new RateLimit(0.2, 1, true), now::get);
    assertEquals(OptionalLong.empty(), limiter.acquire("127.0.0.1"));
    assertEquals(OptionalLong.of(5), limiter.acquire("127.0.0.1"));
    now.addAndGet(2 * SECOND); // 0.4 token back: 0.6 missing = 3 s
    assertEquals(OptionalLong.of(3), limiter.acquire("127.0.0.1"));
  }

  @Test
  void loopbackIsFreeByDefaultAndOffMeansOff() {
    RateLimiter loopbackFree = new RateLimiter(new RateLimit(1, 1, false), () -> 0);
    RateLimiter off = new RateLimiter(RateLimit.OFF, () -> 0);
    for (int i = 0; i < 100; i++) {
      assertEquals(OptionalLong.empty(), loopbackFree.acquire("127.0.0.1"));
      assertEquals(OptionalLong.empty(), loopbackFree.acquire("::1"));
      assertEquals(OptionalLong.empty(), off.acquire("203.0.113.9"));
    }
    assertEquals(0, off.tracked());
  }

  @Test
  void settingsFromTheEnvironment() {
    assertEquals(RateLimit.OFF.perSecond(), RateLimit.fromEnv(Map.of()).perSecond());
    assertEquals(
        new RateLimit(10, 20, true),
        RateLimit.fromEnv(
            Map.of("IMAGE_SEARCH_RATE_LIMIT", "10", "IMAGE_SEARCH_RATE_LIMIT_LOOPBACK", "true")));
    assertEquals(
        new RateLimit(10, 50, false),
        RateLimit.fromEnv(
            Map.of("IMAGE_SEARCH_RATE_LIMIT", "10", "IMAGE_SEARCH_RATE_BURST", "50")));
  }

  @Test
  void overTheSocketTheExtraRequestGets429WithRetryAfterInTheRouteFormat() throws Exception {
    WebApp app = new WebApp(TestServices.fixed(), WebSettings.defaults());
    try (HttpServerMain server =
        HttpServerMain.start(
            new SearchHandler(() -> app),
            new ServerSettings("127.0.0.1", 0, 2).withRateLimit(new RateLimit(0.1, 2, true)))) {
      byte[] search = RawHttp.request("GET", "/api/search?q=red".getBytes(), "", new byte[0]);
      assertEquals(200, RawHttp.send(server.port(), search).status());
      assertEquals(200, RawHttp.send(server.port(), search).status());
      RawHttp.Answer limited = RawHttp.send(server.port(), search);
      assertEquals(429, limited.status());
      // One token every 10 s: the wait is between 1 and 10 s, depending on how fast we were.
      long retry = Long.parseLong(limited.header("retry-after"));
      assertTrue(retry >= 1 && retry <= 10, "Retry-After " + retry);
      assertTrue(limited.header("content-type").startsWith("application/json"));
      assertTrue(
          limited.text().contains("too many requests from your address: try again in " + retry),
          limited.text());
      RawHttp.Answer page =
          RawHttp.send(server.port(), RawHttp.request("GET", "/".getBytes(), "", new byte[0]));
      assertEquals(429, page.status());
      assertTrue(page.header("content-type").startsWith("text/html"));
    }
  }
}
