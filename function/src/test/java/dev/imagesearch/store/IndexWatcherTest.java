package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.search.ImageRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's own thread on a local store: hot swap while readers keep querying. */
class IndexWatcherTest {
  private static final String MODEL = "test-model";
  @TempDir Path dir;

  private String publish(LocalBlobStore store, long seed, String time) {
    Path staging =
        StagedIndex.write(
            dir.resolve("staging-" + seed), MODEL, 30 + (int) seed, 4, Npy.DType.FLOAT32, seed);
    return new IndexPublisher(store, 3, Clock.fixed(Instant.parse(time), ZoneOffset.UTC))
        .publish(staging);
  }

  /** Waits for a condition the watcher's thread brings about (not a timing assertion). */
  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    for (int i = 0; i < 2_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
  }

  @Test
  void swapsInNewVersionsWhileReadersKeepTheirSnapshots() throws Exception {
    LocalBlobStore store =
        new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
    String v1 = publish(store, 1, "2026-11-30T03:00:00Z");
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger queries = new AtomicInteger();
    try (IndexWatcher watcher =
        new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ofMillis(20))) {
      watcher.start();
      await(() -> watcher.status().ready());
      assertEquals(v1, watcher.status().liveVersion());

      Thread reader =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!stop.get()) {
                      // One snapshot per "query": its matrix and records always belong together.
                      LoadedIndex index = watcher.current().orElseThrow();
                      ImageRecord last = index.records().get(index.size() - 1);
                      if (index.matrix().rows() != index.size()
                          || index.rowOf(last.key()).getAsInt() != index.size() - 1) {
                        problems.add(index.version() + " is inconsistent");
                      }
                      queries.incrementAndGet();
                    }
                  });
      String v2 = publish(store, 2, "2026-11-30T03:01:00Z");
      await(() -> watcher.current().orElseThrow().version().equals(v2));
      String v3 = publish(store, 3, "2026-11-30T03:02:00Z");
      await(() -> watcher.current().orElseThrow().version().equals(v3));
      stop.set(true);
      reader.join();

      assertEquals(v3, watcher.status().liveVersion());
      assertEquals(33, watcher.current().orElseThrow().size());
      assertEquals(List.of(), problems);
      assertTrue(queries.get() > 0);
    }
  }

  @Test
  void aCurrentNamingAMissingVersionIsRefusedOnce() throws Exception {
    LocalBlobStore store =
        new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
    String v1 = publish(store, 1, "2026-11-30T03:00:00Z");
    IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ZERO);
    try (LogCapture log = new LogCapture(IndexWatcher.class)) {
      watcher.poll();
      store.write(IndexFiles.CURRENT, "20991231T000000Z-deadbeef".getBytes(StandardCharsets.UTF_8));
      watcher.poll();
      watcher.poll();

      assertEquals(v1, watcher.current().orElseThrow().version());
      assertEquals(
          List.of(
              "refused index 20991231T000000Z-deadbeef from "
                  + store.describe()
                  + ": index 20991231T000000Z-deadbeef has no"
                  + " index/20991231T000000Z-deadbeef/manifest.json in "
                  + store.describe()
                  + "; still serving "
                  + v1),
          log.warnings());
    }
  }

  @Test
  void aNanInTheEmbeddingsIsRefusedNamingTheFile() throws Exception {
    LocalBlobStore store =
        new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
    Path staging = StagedIndex.write(dir.resolve("nan"), MODEL, 3, 4, Npy.DType.FLOAT32, 9);
    byte[] npy = java.nio.file.Files.readAllBytes(staging.resolve(IndexFiles.EMBEDDINGS));
    // Row 1, value 2, after the header: float32 NaN is 0x7fc00000 (little-endian).
    int at = Npy.headerBytes(Npy.DType.FLOAT32, 3, 4).length + (1 * 4 + 2) * 4;
    npy[at] = 0;
    npy[at + 1] = 0;
    npy[at + 2] = (byte) 0xc0;
    npy[at + 3] = 0x7f;
    java.nio.file.Files.write(staging.resolve(IndexFiles.EMBEDDINGS), npy);
    String version =
        new IndexPublisher(
                store, 3, Clock.fixed(Instant.parse("2026-11-30T03:00:00Z"), ZoneOffset.UTC))
            .publish(staging);

    InvalidIndexException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidIndexException.class, () -> new IndexLoader(store).loadCurrent(MODEL, 4));
    assertEquals(
        "index/" + version + "/embeddings.npy: row 1 has a non-finite value at position 2: NaN",
        e.getMessage());
  }

  /** A local store whose index/CURRENT check waits at a gate: a poll held in flight. */
  private static class GatedStore implements BlobStore {
    private final LocalBlobStore store;
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

    GatedStore(LocalBlobStore store) {
      this.store = store;
    }

    @Override
    public java.util.Optional<String> tag(String key) {
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.imagesearch.ImageSearchException("interrupted while checking " + key);
      }
      return store.tag(key);
    }

    @Override
    public java.io.InputStream open(String key) {
      return store.open(key);
    }

    @Override
    public java.util.Optional<byte[]> readIfExists(String key) {
      return store.readIfExists(key);
    }

    @Override
    public void write(String key, byte[] bytes) {
      store.write(key, bytes);
    }

    @Override
    public void write(String key, Path file) {
      store.write(key, file);
    }

    @Override
    public List<String> list(String prefix) {
      return store.list(prefix);
    }

    @Override
    public void delete(String key) {
      store.delete(key);
    }

    @Override
    public java.net.URI signedUrl(String key, Duration ttl) {
      return store.signedUrl(key, ttl);
    }

    @Override
    public String describe() {
      return store.describe();
    }
  }

  @Test
  void closeWaitsForThePollInFlightInsteadOfInterruptingIt() throws Exception {
    LocalBlobStore local =
        new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
    String v1 = publish(local, 1, "2026-11-30T03:00:00Z");
    GatedStore gated = new GatedStore(local);
    IndexWatcher watcher = new IndexWatcher(new IndexLoader(gated), MODEL, 4, Duration.ZERO);
    watcher.start();
    gated.entered.await();

    Thread closing = Thread.ofPlatform().start(watcher::close);
    closing.join(300);
    assertTrue(closing.isAlive(), "close() returned while a poll was still in flight");

    gated.gate.countDown();
    closing.join();
    // The poll was allowed to finish (not interrupted half-way): its index is the one served.
    assertEquals(v1, watcher.status().liveVersion());
  }

  @Test
  void closeDoesNotWaitForARetryScheduledAfterATransientFailure() throws Exception {
    LocalBlobStore local =
        new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
    AtomicInteger checks = new AtomicInteger();
    GatedStore flaky =
        new GatedStore(local) {
          @Override
          public java.util.Optional<String> tag(String key) {
            checks.incrementAndGet();
            throw new StoreException(StoreException.Kind.TRANSIENT, "connection reset", null);
          }
        };
    IndexWatcher watcher =
        new IndexWatcher(new IndexLoader(flaky), MODEL, 4, Duration.ofSeconds(60));
    watcher.start();
    await(() -> checks.get() == 1);
    Thread.sleep(300); // the failed check schedules its retry right after it returns

    watcher.close(); // a retry is due in 1 s: it is dropped, not waited for

    Thread.sleep(1_500);
    assertEquals(1, checks.get(), "no check after close()");
  }
}
