package dev.imagesearch.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming as a CRaC {@link Resource}, registered by {@link SearchHandler}'s static
 * initialisation.
 *
 * <ul>
 *   <li>{@code beforeCheckpoint}: builds the application (fetching the model), loads the index,
 *       then sends warm-up requests through the full path (tokenize, encode, scan, sign URLs,
 *       render the page and JSON) so the JIT has compiled the hot path before the snapshot is
 *       taken; then stops the index watcher (waiting for a check in flight) so no connection or
 *       timer is frozen half-way. It never fails the checkpoint: a fresh stack's bucket holds no
 *       model and no index yet, and a failed hook would stop the version from ever becoming active.
 *       Then it logs one line and the snapshot stays unprimed; the first request after restore
 *       loads what is there by then.
 *   <li>{@code afterRestore} (must finish well under Lambda's 10 s, so it loads nothing): renews
 *       the store's S3 clients (fresh sockets and credentials from the container endpoint) and
 *       restarts the watcher, whose first poll runs in the background and swaps in a newer index if
 *       {@code index/CURRENT} moved while the snapshot slept; queries meanwhile use the primed
 *       version. Randomness: nothing we sign with is seeded from the snapshot (S3 presigning uses
 *       the credentials; request ids use {@code UUID.randomUUID}, which the JDK reseeds after
 *       restore).
 * </ul>
 *
 * With SnapStart off the same code simply loads lazily on the first request.
 */
public final class SnapStartPriming implements Resource {
  private static final System.Logger LOG = System.getLogger(SnapStartPriming.class.getName());
  private static final List<String> WARM_UP_QUERIES =
      List.of(
          "a photo of a dog",
          "three red circles",
          "a large yellow star - small",
          "2:beach + sunset");
  private final Lazy<Bootstrap.Wired> wired;
  private final int rounds;

  public SnapStartPriming(Lazy<Bootstrap.Wired> wired, int rounds) {
    this.wired = wired;
    this.rounds = rounds;
  }

  /** Registers with the global CRaC context (a no-op where the runtime has no CRaC). */
  void register() {
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    long start = System.nanoTime();
    Bootstrap.Wired app;
    try {
      app = wired.get();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.WARNING, "snapshot left unprimed: " + e.getMessage());
      return;
    }
    try {
      app.watcher().poll();
      if (app.watcher().current().isEmpty()) {
        LOG.log(Level.WARNING, "snapshot left unprimed: " + app.watcher().status().lastError());
        return;
      }
      int answered = prime(app.app());
      LOG.log(
          Level.INFO,
          "primed for snapshot in "
              + (System.nanoTime() - start) / 1_000_000
              + " ms ("
              + answered
              + " warm-up requests answered)");
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.WARNING, "snapshot left unprimed: priming failed: " + e);
    } finally {
      app.watcher().close();
    }
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    if (!wired.isCreated()) {
      return; // nothing was built before the snapshot; the first request builds it
    }
    Bootstrap.Wired app = wired.get();
    app.store().reconnect();
    app.watcher().start();
  }

  /** Sends warm-up requests through the whole path; returns how many were answered with 200. */
  int prime(WebApp app) {
    int ok = 0;
    String firstKey = null;
    for (int round = 0; round < rounds; round++) {
      for (String query : WARM_UP_QUERIES) {
        String q = "q=" + PageView.encode(query) + "&k=" + (10 + round % 3);
        ok += status(app, "/api/search", q) == 200 ? 1 : 0;
        ok += status(app, "/", q) == 200 ? 1 : 0;
      }
      if (firstKey == null) {
        firstKey = firstKey(app);
      }
      if (firstKey != null) {
        ok += status(app, "/api/similar", "key=" + PageView.encode(firstKey)) == 200 ? 1 : 0;
      }
    }
    return ok;
  }

  private static int status(WebApp app, String path, String query) {
    return app.handle(request(path, query)).status();
  }

  private static String firstKey(WebApp app) {
    HttpResponse r = app.handle(request("/api/search", "q=photo&k=1"));
    String body = r.bodyText();
    int at = body.indexOf("\"key\":\"");
    return r.status() == 200 && at >= 0 ? body.substring(at + 7, body.indexOf('"', at + 7)) : null;
  }

  private static HttpRequest request(String path, String query) {
    return ApiGatewayEvents.toRequest(
        APIGatewayV2HTTPEvent.builder()
            .withRawPath(path)
            .withRawQueryString(query)
            .withHeaders(Map.of("user-agent", "snapstart-priming"))
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withStage("$default")
                    .withRequestId("priming")
                    .withHttp(
                        APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                            .withMethod("GET")
                            .build())
                    .build())
            .build());
  }
}
