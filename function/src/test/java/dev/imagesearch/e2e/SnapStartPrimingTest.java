package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.Lazy;
import dev.imagesearch.web.SearchOutcome;
import dev.imagesearch.web.SnapStartPriming;
import org.junit.jupiter.api.Test;

/**
 * Runs the CRaC hooks by hand, as SnapStart does around its snapshot, and shows that the first
 * query after restore needs no loading: model and index are already there, and a primed query's
 * embedding is served from the cache.
 */
class SnapStartPrimingTest {
  @Test
  void hooksLoadAndPrimeSoTheFirstQueryAfterRestoreLoadsNothing() throws Exception {
    Bootstrap.Wired wired = Bootstrap.webApp(DemoCollection.local().env());
    try {
      assertFalse(wired.service().modelLoaded(), "nothing loads before the first use");
      SnapStartPriming priming = new SnapStartPriming(new Lazy<>(() -> wired), 3);

      priming.beforeCheckpoint(null);
      assertTrue(wired.service().modelLoaded());
      assertTrue(wired.watcher().current().isPresent());
      priming.afterRestore(null);

      SearchOutcome first = wired.service().search("three red circles", 10, 0);
      assertTrue(first.timings().cached(), "the primed query's embedding comes from the cache");
      assertEquals(0.0, first.timings().encodeMs());
      assertEquals(DemoCollection.COUNT, first.total());
      assertTrue(wired.service().readiness().ready());
    } finally {
      wired.watcher().close();
    }
  }
}
