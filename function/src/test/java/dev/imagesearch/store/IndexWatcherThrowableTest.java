package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any {@link Throwable} in the watcher's background task, out-of-memory included, is reported in
 * the status {@code /readyz} shows and in the log, the old version keeps serving, and the task
 * keeps its schedule: the next good version is picked up without a restart.
 */
class IndexWatcherThrowableTest {
  private static final String MODEL = "test-model";
  @TempDir Path dir;

  private String publish(BlobStore store, long seed, String time) {
    Path staging =
        StagedIndex.write(
            dir.resolve("staging-" + seed), MODEL, 30 + (int) seed, 4, Npy.DType.FLOAT32, seed);
    return new IndexPublisher(store, 3, Clock.fixed(Instant.parse(time), ZoneOffset.UTC))
        .publish(staging);
  }

  /** Waits for what the watcher's own thread brings about (a generous bound, not a timing test). */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 3_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), "the watcher did not get there within 30 s");
  }

  @Test
  void outOfMemoryWhileLoadingIsReportedAndTheScheduleGoesOn() throws Exception {
    LocalBlobStore local = new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/f"));
    FaultyStore store = new FaultyStore(local);
    String v1 = publish(local, 1, "2026-11-30T03:00:00Z");
    try (LogCapture log = new LogCapture(IndexWatcher.class);
        IndexWatcher watcher =
            new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ofMillis(20))) {
      watcher.start();
      await(() -> v1.equals(watcher.status().liveVersion()));

      // The JDK's message when direct memory (where the matrix lives) runs out.
      store.fault =
          op ->
              op.startsWith("open index/") && op.endsWith("/embeddings.npy")
                  ? new OutOfMemoryError("Cannot reserve 805306368 bytes of direct buffer memory")
                  : null;
      String v2 = publish(local, 2, "2026-11-30T03:01:00Z");
      await(() -> watcher.status().lastError() != null);

      assertEquals(v1, watcher.current().orElseThrow().version(), "the old version keeps serving");
      String expected =
          "could not load index "
              + v2
              + " from "
              + local.describe()
              + ": out of memory (Cannot reserve 805306368 bytes of direct buffer memory): give"
              + " the process more memory (heap or direct memory) or serve a smaller index;"
              + " still serving "
              + v1;
      assertEquals(expected, watcher.status().lastError());
      Thread.sleep(200); // ten more polls: the refused version is not reloaded, nor re-logged
      assertEquals(List.of(expected), log.warnings());

      store.fault = op -> null;
      String v3 = publish(local, 3, "2026-11-30T03:02:00Z");
      await(() -> v3.equals(watcher.status().liveVersion()));
      assertEquals(null, watcher.status().lastError());
    }
  }

  @Test
  void anyThrowableFromTheStoreIsReportedAndTheNextPollRecovers() throws Exception {
    LocalBlobStore local = new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/f"));
    FaultyStore store = new FaultyStore(local);
    String v1 = publish(local, 1, "2026-11-30T03:00:00Z");
    AtomicInteger failures = new AtomicInteger(3);
    // A bug-like Error thrown from the very first store call of a poll, three polls in a row.
    store.fault =
        op ->
            op.startsWith("tag") && failures.getAndDecrement() > 0
                ? new StackOverflowError("deep recursion in a store wrapper")
                : null;
    try (LogCapture log = new LogCapture(IndexWatcher.class);
        IndexWatcher watcher =
            new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ofMillis(20))) {
      watcher.start();
      await(() -> watcher.status().lastError() != null || watcher.status().ready());
      await(() -> v1.equals(watcher.status().liveVersion()));
      assertTrue(
          log.warnings()
              .contains(
                  "index check failed: StackOverflowError: deep recursion in a store wrapper;"
                      + " no index is served"),
          log.all().toString());
      assertEquals(null, watcher.status().lastError());
    }
  }
}
