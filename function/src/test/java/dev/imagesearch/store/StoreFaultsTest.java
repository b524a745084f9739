package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in the middle of work, each with its outcome stated: the store is always the old or the
 * new version, never a mix, and a served index is never disturbed by a failing update.
 */
class StoreFaultsTest {
  private static final String MODEL = "test-model";
  @TempDir Path dir;

  private Path staging(long seed, int rows) {
    return StagedIndex.write(
        dir.resolve("staging-" + seed + "-" + rows), MODEL, rows, 4, Npy.DType.FLOAT32, seed);
  }

  private static IndexPublisher publisher(BlobStore store, String time) {
    return new IndexPublisher(store, 3, Clock.fixed(Instant.parse(time), ZoneOffset.UTC));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 3_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), "not reached within 30 s");
  }

  /**
   * kill -9 during publish, at every point: a killed process leaves exactly the writes it finished
   * (each file is replaced atomically), so stopping it before each write in turn covers every
   * moment. Outcome: CURRENT names the old version (complete, loadable) until the very last write,
   * then the new one; the next run publishes the new version whole.
   */
  @Test
  void killedAtEveryStepOfPublishTheStoreIsOldOrNewNeverAMix() {
    for (int killAt = 1; ; killAt++) {
      Path root = dir.resolve("store-" + killAt);
      LocalBlobStore local = new LocalBlobStore(root, UrlSigner.withRandomKey("/f"));
      String v1 = publisher(local, "2026-12-01T10:00:00Z").publish(staging(1, 30));
      FaultyStore store = new FaultyStore(local);
      AtomicInteger writes = new AtomicInteger();
      int at = killAt;
      store.fault =
          op ->
              (op.startsWith("write") || op.startsWith("delete")) && writes.incrementAndGet() == at
                  ? new Error("killed before " + op)
                  : null;
      Path next = staging(2, 40);
      boolean killed;
      try {
        publisher(store, "2026-12-01T11:00:00Z").publish(next);
        killed = false;
      } catch (Error e) {
        killed = true;
      }
      LoadedIndex served = new IndexLoader(local).loadCurrent(MODEL, 4);
      assertTrue(
          served.version().equals(v1) ? served.size() == 30 : served.size() == 40,
          "kill at write " + killAt + ": " + served.version() + " with " + served.size() + " rows");
      if (!killed) {
        assertTrue(killAt > 3, "publish has at least manifest, files and CURRENT to write");
        return; // past the last write: every point has been tried
      }
      assertEquals(v1, served.version(), "killed before write " + killAt);
      store.fault = op -> null;
      String v2 = publisher(store, "2026-12-01T11:00:00Z").publish(next);
      LoadedIndex after = new IndexLoader(local).loadCurrent(MODEL, 4);
      assertEquals(v2, after.version());
      assertEquals(40, after.size());
    }
  }

  /**
   * Disk full while publishing, on a real 2 MB file system (tmpfs; needs root and mount permission,
   * else skipped: the test above covers the same outcome through our store wrapper). Outcome: the
   * publish fails naming the disk, CURRENT still names the old version, no temporary file is left
   * behind, and once there is room the same staging publishes whole.
   */
  @Test
  void diskFullWhilePublishingLeavesTheOldVersionAndNoDebris() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("small-disk"));
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()),
        "cannot mount a small tmpfs here (not root, or no mount permission)");
    try {
      LocalBlobStore store =
          new LocalBlobStore(mount.resolve("store"), UrlSigner.withRandomKey("/f"));
      String v1 = publisher(store, "2026-12-01T10:00:00Z").publish(staging(1, 30));
      Path big = staging(2, 200_000); // 200,000 x 4 float32 = 3.2 MB: more than the disk
      ImageSearchException full =
          assertThrows(
              ImageSearchException.class,
              () -> publisher(store, "2026-12-01T11:00:00Z").publish(big));
      assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
      assertEquals(v1, new IndexLoader(store).loadCurrent(MODEL, 4).version());
      try (Stream<Path> files = Files.walk(mount)) {
        List<String> debris =
            files.map(Path::toString).filter(p -> p.contains(".tmp") || p.endsWith("~")).toList();
        assertEquals(List.of(), debris);
      }
      assertTrue(run("mount", "-o", "remount,size=96m", mount.toString()));
      String v2 = publisher(store, "2026-12-01T11:00:00Z").publish(big);
      assertEquals(v2, new IndexLoader(store).loadCurrent(MODEL, 4).version());
    } finally {
      run("umount", mount.toString());
    }
  }

  /**
   * S3 slow (a second per request) and then failing during a live update. Outcome: queries keep
   * their snapshot of the old version without waiting, the failure is in the status, and the new
   * version is swapped in once the store recovers, without a restart.
   */
  @Test
  void aSlowThenFailingStoreDuringAnUpdateLeavesTheOldIndexServing() throws Exception {
    LocalBlobStore local = new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/f"));
    String v1 = publisher(local, "2026-12-01T10:00:00Z").publish(staging(1, 30));
    FaultyStore store = new FaultyStore(local);
    try (IndexWatcher watcher =
        new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ofMillis(20))) {
      watcher.start();
      await(() -> v1.equals(watcher.status().liveVersion()));
      store.fault =
          op -> {
            if (!op.startsWith("open index/") || op.contains(v1)) {
              return null;
            }
            sleep(1_000);
            return new ImageSearchException(
                "S3 answered 503 SlowDown for " + op.substring(5) + " (request id TEST)");
          };
      List<String> problems = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong slowest = new AtomicLong();
      AtomicInteger queries = new AtomicInteger();
      Thread reader =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!stop.get()) {
                      long t = System.nanoTime();
                      LoadedIndex index = watcher.current().orElseThrow();
                      slowest.accumulateAndGet(System.nanoTime() - t, Math::max);
                      if (!index.version().equals(v1) || index.matrix().rows() != 30) {
                        problems.add("a query saw " + index.version());
                      }
                      queries.incrementAndGet();
                    }
                  });
      String v2 = publisher(local, "2026-12-01T11:00:00Z").publish(staging(2, 40));
      await(() -> watcher.status().lastError() != null);
      Thread.sleep(1_500); // a few more slow, failing polls
      stop.set(true);
      reader.join();

      assertEquals(List.of(), problems);
      assertTrue(queries.get() > 0);
      // Getting the snapshot never waits for the slow store (a generous bound: 0.5 s).
      assertTrue(slowest.get() < 500_000_000L, "a query waited " + slowest.get() / 1e6 + " ms");
      assertTrue(
          watcher.status().lastError().contains("S3 answered 503 SlowDown"),
          watcher.status().lastError());
      assertTrue(watcher.status().lastError().endsWith("; still serving " + v1));

      store.fault = op -> null;
      await(() -> v2.equals(watcher.status().liveVersion()));
      assertEquals(40, watcher.current().orElseThrow().size());
    }
  }

  /**
   * A corrupted file (a flipped byte) and an index made with another model. Outcome: refused, one
   * log line each, the reason in the status, the old version keeps serving.
   */
  @Test
  void aCorruptedOrMismatchedIndexIsRefusedWithOneLineAndItsReason() throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/f"));
    String v1 = publisher(store, "2026-12-01T10:00:00Z").publish(staging(1, 30));
    IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ZERO);
    try (LogCapture log = new LogCapture(IndexWatcher.class)) {
      watcher.poll();
      String v2 = publisher(store, "2026-12-01T11:00:00Z").publish(staging(2, 40));
      Path npy = dir.resolve("store").resolve(IndexFiles.key(v2, IndexFiles.EMBEDDINGS));
      byte[] bytes = Files.readAllBytes(npy);
      bytes[bytes.length - 3] ^= 0x55;
      Files.write(npy, bytes);
      watcher.poll();
      watcher.poll();
      assertEquals(v1, watcher.current().orElseThrow().version());
      assertEquals(1, log.warnings().size(), log.all().toString());
      String reason = watcher.status().lastError();
      assertTrue(reason.startsWith("refused index " + v2), reason);
      assertTrue(reason.contains("embeddings.npy"), reason);
      assertEquals(log.warnings().get(0), reason);

      log.clear();
      Path other =
          StagedIndex.write(dir.resolve("other"), "another-model", 10, 4, Npy.DType.FLOAT32, 3);
      String v3 = publisher(store, "2026-12-01T12:00:00Z").publish(other);
      watcher.poll();
      watcher.poll();
      assertEquals(v1, watcher.current().orElseThrow().version());
      assertEquals(1, log.warnings().size(), log.all().toString());
      assertTrue(
          watcher.status().lastError().startsWith("refused index " + v3)
              && watcher.status().lastError().contains("another-model"),
          watcher.status().lastError());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 && out.isEmpty();
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
