package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.Sha256;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.IndexManifest;
import dev.imagesearch.store.CalibrationJson;
import dev.imagesearch.store.IndexFiles;
import dev.imagesearch.store.IndexLoader;
import dev.imagesearch.store.IndexPublisher;
import dev.imagesearch.store.LoadedIndex;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.ManifestJson;
import dev.imagesearch.store.UrlSigner;
import dev.imagesearch.synth.GalleryWriter;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration travels with the index version: the index command measures it and publishes {@code
 * calibration.json} sha256-listed in the manifest; a version without it (published before it
 * existed) is served with default thresholds and {@code /readyz} says so; the next index run, or
 * {@code image-search calibrate}, adds it.
 */
class CalibrationPublishTest {
  @TempDir Path tmp;

  @Test
  void publishedWithTheIndexServedWithoutItAddedByTheNextRunOrCalibrate() throws IOException {
    Path gallery = tmp.resolve("gallery");
    Path storeDir = tmp.resolve("store");
    new GalleryWriter().write(3, 24, gallery, "jpg");
    LocalBlobStore store = new LocalBlobStore(storeDir, UrlSigner.withRandomKey("/files"));
    ModelDirectory model =
        ModelDirectory.open(TestModel.dir(), ModelDirectory.Precision.PREFER_QUANTIZED);

    // 1. The index command publishes the calibration beside the manifest, listed with its sha256.
    StringBuilder log = new StringBuilder();
    String first = Runs.run(Runs.command(gallery, storeDir), log).version().orElseThrow();
    assertTrue(
        log.toString().contains("calibrated relevance: 480 reference texts"), log.toString());
    byte[] file = bytes(store, IndexFiles.key(first, IndexFiles.CALIBRATION));
    String listed =
        ManifestJson.read(bytes(store, IndexFiles.key(first, IndexFiles.MANIFEST)), "manifest")
            .fileSha256()
            .get(IndexFiles.CALIBRATION);
    assertEquals(Sha256.hex(file), listed);
    Calibration calibration = CalibrationJson.read(file, "calibration.json");
    assertEquals(model.modelId(), calibration.modelId());
    assertEquals(480, calibration.text(model.modelId()).orElseThrow().best().size());
    assertEquals(480, calibration.images().best().size());

    // 2. A version without calibration is served, with the defaults, and /readyz says so.
    String old = publishWithoutCalibration(store, first);
    Map<String, String> env =
        Map.of(
            "IMAGE_SEARCH_MODEL",
            TestModel.dir().toString(),
            "IMAGE_SEARCH_STORE",
            storeDir.toString(),
            "IMAGE_SEARCH_INDEX_POLL",
            "0",
            "IMAGE_SEARCH_URL_KEY",
            "an-hmac-key-for-tests-only-0123456789");
    Bootstrap.Wired wired = Bootstrap.webApp(env);
    try {
      wired.watcher().poll();
      String ready = readyz(wired);
      assertTrue(ready.contains("\"indexVersion\":\"" + old + "\""), ready);
      assertTrue(
          ready.contains("\"relevance\":\"defaults: index " + old + " has no calibration"), ready);
      assertEquals("defaults", wired.service().search("a red circle", 5, 0).stats().basis());

      // 3. The next index run, with no image changed, publishes it again, calibrated.
      IndexSummary again = Runs.run(Runs.command(gallery, storeDir), null);
      assertFalse(again.unchanged(), "a version without calibration is replaced");
      assertEquals(0, again.embedded(), "no image is embedded again");
      wired.watcher().poll();
      assertTrue(readyz(wired).contains("\"relevance\":\"calibrated on this collection"));
      assertEquals("calibrated", wired.service().search("a red circle", 5, 0).stats().basis());
      // Deterministic: the same collection measures the same calibration, byte for byte.
      String current = again.version().orElseThrow();
      assertEquals(
          Sha256.hex(file),
          Sha256.hex(bytes(store, IndexFiles.key(current, IndexFiles.CALIBRATION))));
      assertTrue(Runs.run(Runs.command(gallery, storeDir), null).unchanged());

      // 4. Or image-search calibrate adds it to the live version's images.
      String stripped = publishWithoutCalibration(store, current);
      CalibrateCommand calibrate = new CalibrateCommand();
      calibrate.index = storeDir.toString();
      calibrate.model = TestModel.dir();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      calibrate.out = new PrintStream(out, true, StandardCharsets.UTF_8);
      assertEquals(0, calibrate.call(), out.toString(StandardCharsets.UTF_8));
      LoadedIndex live = new IndexLoader(store).loadCurrent(model.modelId(), model.projectionDim());
      assertNotEquals(stripped, live.version());
      assertEquals(24, live.size());
      assertTrue(live.calibration().isPresent());
      wired.watcher().poll();
      assertTrue(readyz(wired).contains("\"relevance\":\"calibrated on this collection"));
    } finally {
      wired.watcher().close();
    }
  }

  @Test
  void calibrateWithoutAnIndexIsAConfigurationError() {
    CalibrateCommand calibrate = new CalibrateCommand();
    calibrate.index = tmp.resolve("empty").toString();
    calibrate.model = TestModel.dir();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    calibrate.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, calibrate.call());
    assertTrue(
        err.toString(StandardCharsets.UTF_8).startsWith("error: no index yet"), err.toString());
  }

  /** Publishes {@code version}'s files again without its calibration, as an older indexer did. */
  private static String publishWithoutCalibration(LocalBlobStore store, String version)
      throws IOException {
    Path staging = Files.createTempDirectory("staging");
    for (String name : List.of(IndexFiles.EMBEDDINGS, IndexFiles.METADATA, IndexFiles.SKIPPED)) {
      Files.write(staging.resolve(name), bytes(store, IndexFiles.key(version, name)));
    }
    Files.write(
        staging.resolve(IndexFiles.MANIFEST),
        ManifestJson.write(draftOf(bytes(store, IndexFiles.key(version, IndexFiles.MANIFEST)))));
    return new IndexPublisher(store, 5).publish(staging);
  }

  private static IndexManifest draftOf(byte[] manifest) {
    IndexManifest m = ManifestJson.read(manifest, "manifest.json");
    return new IndexManifest(
        m.version(), m.modelId(), m.dim(), m.count(), m.dtype(), m.createdAt(), Map.of());
  }

  private static byte[] bytes(LocalBlobStore store, String key) {
    return store.readIfExists(key).orElseThrow(() -> new AssertionError("no " + key));
  }

  private static String readyz(Bootstrap.Wired wired) {
    HttpRequest request =
        new HttpRequest("GET", "/readyz", "", Map.of(), Map.of(), new byte[0], "req-1");
    return wired.app().handle(request).bodyText();
  }
}
