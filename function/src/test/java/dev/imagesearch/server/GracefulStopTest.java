package dev.imagesearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.web.Readiness;
import dev.imagesearch.web.SearchHandler;
import dev.imagesearch.web.SearchOutcome;
import dev.imagesearch.web.SearchService;
import dev.imagesearch.web.TestServices;
import dev.imagesearch.web.WebApp;
import dev.imagesearch.web.WebSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping (what SIGTERM does through Jetty's shutdown hook): a request in flight finishes with its
 * answer, new connections are refused, and the stop returns within the stop timeout.
 */
class GracefulStopTest {

  /** The fixed service, with a search that takes a while and says when it has started. */
  private static final class SlowService implements SearchService {
    private final SearchService fixed = TestServices.fixed();
    final CountDownLatch started = new CountDownLatch(1);

    @Override
    public SearchOutcome search(String query, int k, int offset) {
      started.countDown();
      try {
        Thread.sleep(1_500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return fixed.search(query, k, offset);
    }

    @Override
    public SearchOutcome similar(String key, int k, int offset) {
      return fixed.similar(key, k, offset);
    }

    @Override
    public Readiness readiness() {
      return fixed.readiness();
    }
  }

  @Test
  void aRequestInFlightFinishesThenTheServerStops() throws Exception {
    SlowService service = new SlowService();
    WebApp app = new WebApp(service, WebSettings.defaults());
    HttpServerMain server =
        HttpServerMain.start(new SearchHandler(() -> app), new ServerSettings("127.0.0.1", 0, 2));
    int port = server.port();
    CompletableFuture<RawHttp.Answer> inFlight =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return RawHttp.send(
                    port, RawHttp.request("GET", "/api/search?q=red".getBytes(), "", new byte[0]));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(service.started.await(20, TimeUnit.SECONDS));

    long start = System.nanoTime();
    server.close(); // returns when the request in flight is done (stop timeout: 10 s)
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    RawHttp.Answer answer = inFlight.get(20, TimeUnit.SECONDS);
    assertEquals(200, answer.status(), answer.text());
    assertTrue(answer.text().contains("\"hits\""), answer.text());
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "stop took " + took);
    assertThrows(
        IOException.class,
        () -> RawHttp.send(port, RawHttp.request("GET", "/healthz".getBytes(), "", new byte[0])));
  }
}
