package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.IndexFiles;
import dev.imagesearch.store.IndexPublisher;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.UrlSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexer reuses a live version only when it passes the same checks the serving side makes (the
 * store's one reader): otherwise every image is embedded again, and the log says why.
 */
class ReusableRowsTest {
  private static final String MODEL = "test-model";
  private static final int DIM = 2;

  @TempDir Path dir;

  private BlobStore store() {
    return new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files/"));
  }

  /** Publishes rows with the given keys: row i = (i + 1, 0.5). */
  private String publish(BlobStore store, List<String> keys, List<VersionWriter.Skipped> skipped) {
    List<EmbeddedRow> rows =
        keys.stream()
            .map(k -> EmbeddedRow.of(k, "sha-" + k, 4, 3, new float[] {keys.indexOf(k) + 1, 0.5f}))
            .toList();
    Path staging = dir.resolve("staging-" + keys.size() + "-" + keys.getFirst());
    VersionWriter.write(staging, MODEL, DIM, rows, skipped);
    return new IndexPublisher(store, 3).publish(staging);
  }

  @Test
  void aGoodVersionIsReusedRowForRowWithItsSkipReasons() {
    BlobStore store = store();
    String version =
        publish(
            store,
            List.of("a.jpg", "b.jpg"),
            List.of(new VersionWriter.Skipped("bad.jpg", "sha-bad", "not an image")));

    ReusableRows live = ReusableRows.load(store, MODEL, DIM);

    assertEquals(Optional.of(version), live.version());
    assertEquals("reusing index " + version, live.note());
    // float16 holds 1, 2 and 0.5 exactly, so the rows come back as written.
    assertArrayEquals(new float[] {2, 0.5f}, live.bySha("sha-b.jpg").orElseThrow().floats());
    assertEquals("a.jpg", live.byKey("a.jpg").orElseThrow().key());
    assertEquals(Optional.of("not an image"), live.skipReason("sha-bad"));
  }

  @Test
  void aVersionListingAKeyTwiceIsNotReused() {
    BlobStore store = store();
    String version = publish(store, List.of("a.jpg", "a.jpg"), List.of());

    ReusableRows live = ReusableRows.load(store, MODEL, DIM);

    assertEquals(Optional.empty(), live.version());
    assertEquals(
        "index/"
            + version
            + "/metadata.jsonl lists 'a.jpg' twice (lines 1 and 2): every image is embedded again",
        live.note());
  }

  @Test
  void aManifestAnnouncingAnotherDtypeIsNotReused() {
    BlobStore store = store();
    String version = publish(store, List.of("a.jpg"), List.of());
    String manifestKey = IndexFiles.key(version, IndexFiles.MANIFEST);
    String manifest =
        new String(store.readIfExists(manifestKey).orElseThrow(), StandardCharsets.UTF_8);
    store.write(
        manifestKey, manifest.replace("float16", "float32").getBytes(StandardCharsets.UTF_8));

    ReusableRows live = ReusableRows.load(store, MODEL, DIM);

    assertEquals(Optional.empty(), live.version());
    assertEquals(
        "index/"
            + version
            + "/embeddings.npy holds 1 x 2 float16 but index/"
            + version
            + "/manifest.json announces 1 x 2 float32: every image is embedded again",
        live.note());
  }

  @Test
  void aManifestOfAnotherVersionIsNotReused() {
    BlobStore store = store();
    String first = publish(store, List.of("a.jpg"), List.of());
    String second = publish(store, List.of("b.jpg"), List.of());
    store.write(
        IndexFiles.key(second, IndexFiles.MANIFEST),
        store.readIfExists(IndexFiles.key(first, IndexFiles.MANIFEST)).orElseThrow());

    ReusableRows live = ReusableRows.load(store, MODEL, DIM);

    assertTrue(
        live.note()
            .startsWith(
                "index/"
                    + second
                    + "/manifest.json belongs to version '"
                    + first
                    + "', not "
                    + second),
        live.note());
  }
}
