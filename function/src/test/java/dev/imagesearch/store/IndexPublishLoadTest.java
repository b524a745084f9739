package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.search.ImageRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing and loading index versions through a real S3-compatible server, and the watcher
 * refusing bad versions while the old one keeps serving.
 */
class IndexPublishLoadTest {
  private static final String MODEL = "test-model";
  private static final int DIM = 8;
  @TempDir static Path dir;
  static S3ProxyServer server;
  private static int bucketNumber;
  private S3BlobStore store;
  private Instant time = Instant.parse("2026-11-30T03:00:00Z");

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.start(dir.resolve("s3"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void freshBucket() {
    String bucket = "index-test-" + bucketNumber++;
    server.createBucket(bucket);
    store = server.store(bucket, "collection/");
  }

  /** Publishes a staged index made with {@code model}; each call is one minute later. */
  private String publish(String model, long seed, int keep) {
    Path staging =
        StagedIndex.write(dir.resolve("staging-" + seed), model, 50, DIM, Npy.DType.FLOAT16, seed);
    time = time.plus(Duration.ofMinutes(1));
    return new IndexPublisher(store, keep, Clock.fixed(time, ZoneOffset.UTC)).publish(staging);
  }

  private String current() {
    return new String(store.readIfExists(IndexFiles.CURRENT).orElseThrow(), StandardCharsets.UTF_8)
        .strip();
  }

  @Test
  void currentMovesToEachNewVersionAndOldOnesArePrunedPastK() throws Exception {
    String v1 = publish(MODEL, 1, 2);
    assertTrue(v1.matches("20261130T030100Z-[0-9a-f]{8}"), v1);
    assertEquals(v1, current());
    String v2 = publish(MODEL, 2, 2);
    String v3 = publish(MODEL, 3, 2);

    assertEquals(v3, current());
    assertEquals(List.of(v2, v3), new IndexPublisher(store, 2).versions());
    assertEquals(
        List.of(
            IndexFiles.key(v3, "embeddings.npy"),
            IndexFiles.key(v3, "manifest.json"),
            IndexFiles.key(v3, "metadata.jsonl")),
        store.list("index/" + v3 + "/"));

    LoadedIndex loaded = new IndexLoader(store).loadCurrent(MODEL, DIM);
    assertEquals(v3, loaded.version());
    assertEquals(50, loaded.size());
    assertEquals(50, loaded.matrix().rows());
    assertEquals(
        new ImageRecord("img/3-7.jpg", 100, 82, "%064x".formatted(7)), loaded.records().get(7));
    assertEquals(7, loaded.rowOf("img/3-7.jpg").getAsInt());
    assertEquals(MODEL, loaded.manifest().modelId());

    // Row 7 as the indexer staged it, normalized, equals the loaded row (float16 precision).
    float[] staged;
    try (InputStream in = Files.newInputStream(dir.resolve("staging-3/embeddings.npy"))) {
      Npy.Header header = Npy.readHeader(in, "staged");
      List<float[]> rows = new java.util.ArrayList<>();
      Npy.readRows(in, header, "staged", row -> rows.add(row.clone()));
      staged = rows.get(7);
    }
    float[] loadedRow = loaded.matrix().row(7);
    double norm = 0;
    for (float v : staged) norm += v * v;
    for (int j = 0; j < DIM; j++) {
      assertEquals(staged[j] / Math.sqrt(norm), loadedRow[j], 0.01, "column " + j);
    }
  }

  @Test
  void pruningNeverRemovesTheLiveVersion() {
    String v1 = publish(MODEL, 1, 1);
    String v2 = publish(MODEL, 2, 1);
    assertEquals(List.of(v2), new IndexPublisher(store, 1).versions());
    // Point CURRENT back at an older version by hand: a later prune must keep it.
    String v3 = publish(MODEL, 3, 5);
    store.write(IndexFiles.CURRENT, v2.getBytes(StandardCharsets.UTF_8));
    new IndexPublisher(store, 1).prune(v2);
    assertEquals(List.of(v2, v3), new IndexPublisher(store, 1).versions());
    assertTrue(!v1.equals(v2));
  }

  /** Publishes a good version, starts serving it, then breaks the next one with {@code damage}. */
  private void assertRefusedAndOldKeepsServing(String badModel, Damage damage, String expected)
      throws Exception {
    String good = publish(MODEL, 1, 3);
    IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, DIM, Duration.ZERO);
    try (LogCapture log = new LogCapture(IndexWatcher.class)) {
      watcher.poll();
      assertEquals(good, watcher.current().orElseThrow().version());
      assertEquals(List.of(), log.warnings());

      String bad = publish(badModel, 2, 3);
      damage.apply(bad);
      watcher.poll();
      watcher.poll(); // the refused version is remembered: no second attempt, no second line

      assertEquals(good, watcher.current().orElseThrow().version());
      assertEquals(good, watcher.status().liveVersion());
      List<String> lines = log.warnings();
      assertEquals(1, lines.size(), lines.toString());
      String line = lines.get(0);
      String start =
          "refused index " + bad + " from " + store.describe() + ": " + expected.replace("%v", bad);
      assertTrue(line.startsWith(start), line + "\ndoes not start with\n" + start);
      assertTrue(line.endsWith("; still serving " + good), line);
      assertEquals(line, watcher.status().lastError());

      // A fixed, newer version is picked up on the next check.
      String fixed = publish(MODEL, 3, 3);
      watcher.poll();
      assertEquals(fixed, watcher.current().orElseThrow().version());
      assertEquals(null, watcher.status().lastError());
    }
  }

  @FunctionalInterface
  private interface Damage {
    void apply(String version) throws Exception;
  }

  @Test
  void aFlippedByteIsRefusedNamingTheFile() throws Exception {
    assertRefusedAndOldKeepsServing(
        MODEL,
        version -> {
          String key = IndexFiles.key(version, IndexFiles.EMBEDDINGS);
          byte[] bytes = store.readIfExists(key).orElseThrow();
          bytes[bytes.length - 5] ^= 0x01; // a data byte: the file still parses
          store.write(key, bytes);
        },
        "index/%v/embeddings.npy is corrupted: its sha256 is ");
  }

  @Test
  void aTruncatedNpyIsRefused() throws Exception {
    assertRefusedAndOldKeepsServing(
        MODEL,
        version -> {
          String key = IndexFiles.key(version, IndexFiles.EMBEDDINGS);
          byte[] bytes = store.readIfExists(key).orElseThrow();
          store.write(key, Arrays.copyOf(bytes, bytes.length - 100));
        },
        "index/%v/embeddings.npy is truncated: the header announces 50 rows of 8 float16 values"
            + " but the data ends in row 43");
  }

  @Test
  void aManifestNamingAnotherModelIsRefused() throws Exception {
    assertRefusedAndOldKeepsServing(
        "other-model",
        version -> {},
        "index %v was made with model other-model (dim 8) but the loaded model is test-model (dim"
            + " 8)");
  }

  @Test
  void noIndexYetIsNotReadyAndRecovers() {
    IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, DIM, Duration.ZERO);
    watcher.poll();
    assertEquals(false, watcher.status().ready());
    assertEquals(
        "no index yet: "
            + store.describe()
            + " has no index/CURRENT (run the index command); no index is served",
        watcher.status().lastError());

    String v1 = publish(MODEL, 1, 3);
    watcher.poll();
    assertEquals(true, watcher.status().ready());
    assertEquals(v1, watcher.status().liveVersion());
  }

  @Test
  void aWrongDimensionIsRefusedByTheLoader() {
    String v1 = publish(MODEL, 1, 3);
    InvalidIndexException e =
        assertThrows(
            InvalidIndexException.class, () -> new IndexLoader(store).loadCurrent(MODEL, 512));
    assertEquals(
        "index "
            + v1
            + " was made with model test-model (dim 8) but the loaded model is"
            + " test-model (dim 512)",
        e.getMessage());
  }
}
