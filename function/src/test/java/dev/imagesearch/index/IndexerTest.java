package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.Sha256;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.store.IndexLoader;
import dev.imagesearch.store.LoadedIndex;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.UrlSigner;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The indexer end to end on a generated folder with the test model: output, skips, re-runs. */
class IndexerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** Six good images (one rotated by EXIF, one in a subfolder), three bad files, one text file. */
  static Path gallery(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("sub"));
    write(
        dir,
        "a-red.jpg",
        TestImages.encode(TestImages.halves(64, 48, Color.RED, Color.RED), "jpeg"));
    write(
        dir,
        "b-green.png",
        TestImages.encode(TestImages.halves(50, 50, Color.GREEN, Color.GREEN), "png"));
    write(
        dir,
        "c-big.jpg",
        TestImages.encode(TestImages.halves(1000, 600, Color.YELLOW, Color.BLUE), "jpeg"));
    byte[] stored = TestImages.encode(TestImages.halves(40, 20, Color.RED, Color.BLUE), "jpeg");
    write(dir, "d-rotated.jpg", TestImages.withExifOrientation(stored, 6, false));
    BufferedImage gray = new BufferedImage(30, 30, BufferedImage.TYPE_BYTE_GRAY);
    write(dir, "e-gray.png", TestImages.encode(gray, "png"));
    write(dir, "sub/f-nested.png", TestImages.encode(TestImages.noise(24, 24, 5), "png"));
    byte[] jpeg = TestImages.encode(TestImages.noise(200, 200, 9), "jpeg");
    write(dir, "bad-truncated.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    write(dir, "bad-empty.jpg", new byte[0]);
    write(dir, "bad-bomb.png", TestImages.pngHeaderOnly(30_000, 30_000));
    write(dir, "notes.txt", "not an image".getBytes());
    return dir;
  }

  static void write(Path dir, String name, byte[] bytes) throws IOException {
    Files.createDirectories(dir.resolve(name).getParent());
    Files.write(dir.resolve(name), bytes);
  }

  @Test
  void indexesGoodFilesListsBadOnesAndWritesThumbnails() throws IOException {
    Path images = gallery(tmp.resolve("photos"));
    Path store = tmp.resolve("store");
    StringBuilder log = new StringBuilder();
    IndexSummary summary = Runs.run(Runs.command(images, store), log);

    assertEquals(9, summary.listed(), "notes.txt is not an image file");
    assertEquals(6, summary.indexed());
    assertEquals(6, summary.embedded());
    assertEquals(3, summary.skipped());
    assertTrue(
        summary
            .line()
            .startsWith("indexed 6 (embedded 6, reused 0, resumed 0), dropped 0, skipped 3 in "),
        summary.line());

    String version = Files.readString(store.resolve("index/CURRENT")).strip();
    Path dir = store.resolve("index").resolve(version);
    List<JsonNode> metadata = jsonLines(dir.resolve("metadata.jsonl"));
    assertEquals(
        List.of(
            "a-red.jpg",
            "b-green.png",
            "c-big.jpg",
            "d-rotated.jpg",
            "e-gray.png",
            "sub/f-nested.png"),
        metadata.stream().map(n -> n.get("key").asText()).toList());
    JsonNode rotated = metadata.get(3);
    assertEquals(20, rotated.get("width").asInt(), "EXIF orientation 6 swaps width and height");
    assertEquals(40, rotated.get("height").asInt());
    assertEquals(
        Sha256.hex(Files.readAllBytes(images.resolve("c-big.jpg"))),
        metadata.get(2).get("sha256").asText());

    Map<String, String> reasons = new TreeMap<>();
    for (JsonNode line : jsonLines(dir.resolve("skipped.jsonl"))) {
      reasons.put(line.get("key").asText(), line.get("reason").asText());
    }
    assertEquals(
        List.of("bad-bomb.png", "bad-empty.jpg", "bad-truncated.jpg"),
        List.copyOf(reasons.keySet()));
    assertTrue(
        reasons.get("bad-bomb.png").endsWith("(decompression-bomb guard)"), reasons.toString());
    assertEquals("empty file (0 bytes)", reasons.get("bad-empty.jpg"));
    assertTrue(
        reasons.get("bad-truncated.jpg").startsWith("truncated or corrupt jpeg"),
        reasons.toString());
    assertTrue(
        log.toString().contains("skipped bad-empty.jpg: empty file (0 bytes)"), log.toString());

    // Thumbnails: longest side 320 at most, never upscaled, upright.
    assertEquals(List.of(320, 192), thumbSize(store, "c-big.jpg"));
    assertEquals(List.of(64, 48), thumbSize(store, "a-red.jpg"));
    assertEquals(List.of(20, 40), thumbSize(store, "d-rotated.jpg"));
    for (JsonNode line : metadata) {
      String key = line.get("key").asText();
      assertTrue(Files.isRegularFile(store.resolve("thumbs/" + key + ".jpg")), key);
      // Originals from another folder are copied where the page links them.
      assertArrayEquals(
          Files.readAllBytes(images.resolve(key)),
          Files.readAllBytes(store.resolve("images/" + key)));
    }
    assertFalse(
        Files.exists(store.resolve("images/bad-empty.jpg")), "skipped files are not copied");

    ModelDirectory model =
        ModelDirectory.open(TestModel.dir(), ModelDirectory.Precision.PREFER_QUANTIZED);
    LoadedIndex index =
        new IndexLoader(localStore(store)).loadCurrent(model.modelId(), model.projectionDim());
    assertEquals(6, index.size());
    assertEquals(
        new ImageRecord("d-rotated.jpg", 20, 40, rotated.get("sha256").asText()),
        index.records().get(3));
  }

  @Test
  void reRunsEmbedOnlyWhatChangedAndDropWhatIsGone() throws IOException {
    Path images = gallery(tmp.resolve("photos"));
    Path store = tmp.resolve("store");
    IndexSummary first = Runs.run(images, store);
    String firstVersion = Files.readString(store.resolve("index/CURRENT")).strip();
    assertEquals(6, first.embedded());

    IndexSummary second = Runs.run(images, store);
    assertEquals(0, second.embedded(), "nothing changed");
    assertEquals(6, second.reused());
    assertTrue(second.unchanged());
    assertEquals(firstVersion, Files.readString(store.resolve("index/CURRENT")).strip());
    assertTrue(second.line().endsWith("unchanged, live version " + firstVersion), second.line());

    byte[] oldThumb = Files.readAllBytes(store.resolve("thumbs/b-green.png.jpg"));
    write(
        images,
        "b-green.png",
        TestImages.encode(TestImages.halves(50, 50, Color.GREEN, Color.WHITE), "png"));
    Files.delete(images.resolve("e-gray.png"));
    Files.move(images.resolve("a-red.jpg"), images.resolve("a-red-renamed.jpg"));
    write(images, "g-new.png", TestImages.encode(TestImages.noise(16, 16, 11), "png"));

    StringBuilder dry = new StringBuilder();
    IndexCommand dryRun = Runs.command(images, store);
    dryRun.dryRun = true;
    IndexSummary planned = Runs.run(dryRun, dry);
    assertTrue(dry.toString().contains("embed b-green.png"), dry.toString());
    assertTrue(dry.toString().contains("reuse a-red-renamed.jpg"), "same content, new name");
    assertTrue(dry.toString().contains("drop  e-gray.png"), dry.toString());
    assertEquals(2, planned.embedded());
    assertEquals(3, planned.skipped(), "known bad files, by content");
    assertTrue(
        dry.toString().contains("skip  bad-empty.jpg: empty file (0 bytes)"), dry.toString());
    assertEquals(
        firstVersion,
        Files.readString(store.resolve("index/CURRENT")).strip(),
        "a dry run writes nothing");

    IndexSummary third = Runs.run(images, store);
    assertEquals(2, third.embedded(), "b-green.png changed, g-new.png is new");
    // a-red-renamed.jpg is reused by content, with c-big, d-rotated and sub/f-nested.
    assertEquals(4, third.reused());
    assertEquals(2, third.dropped(), "e-gray.png deleted, a-red.jpg renamed");
    assertEquals(6, third.indexed());
    assertFalse(Files.exists(store.resolve("thumbs/e-gray.png.jpg")));
    assertFalse(Files.exists(store.resolve("images/e-gray.png")));
    assertTrue(Files.exists(store.resolve("thumbs/a-red-renamed.jpg.jpg")));
    assertNotEquals(
        java.util.HexFormat.of().formatHex(oldThumb),
        java.util.HexFormat.of()
            .formatHex(Files.readAllBytes(store.resolve("thumbs/b-green.png.jpg"))),
        "the thumbnail of a changed image is made again");
    assertFalse(
        Files.exists(store.resolve(".index-work/checkpoint.jsonl")), "removed after publishing");
  }

  @Test
  void reusedRowsAreTheStoredRowsBitForBit() throws IOException {
    Path images = gallery(tmp.resolve("photos"));
    Path store = tmp.resolve("store");
    Runs.run(images, store);
    byte[] before = Files.readAllBytes(currentFile(store, "embeddings.npy"));
    write(images, "z-last.png", TestImages.encode(TestImages.noise(20, 20, 13), "png"));
    IndexSummary again = Runs.run(images, store);
    assertEquals(1, again.embedded());
    byte[] after = Files.readAllBytes(currentFile(store, "embeddings.npy"));
    // Same header length (128 bytes for these shapes), then the six old rows unchanged.
    int dim =
        ModelDirectory.open(TestModel.dir(), ModelDirectory.Precision.PREFER_QUANTIZED)
            .projectionDim();
    int header = before.length - 6 * dim * 2;
    assertArrayEquals(
        java.util.Arrays.copyOfRange(before, header, before.length),
        java.util.Arrays.copyOfRange(after, header, header + 6 * dim * 2));
  }

  static Path currentFile(Path store, String name) throws IOException {
    String version = Files.readString(store.resolve("index/CURRENT")).strip();
    return store.resolve("index").resolve(version).resolve(name);
  }

  static LocalBlobStore localStore(Path store) {
    return new LocalBlobStore(store, UrlSigner.withRandomKey("/files"));
  }

  static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  private static List<Integer> thumbSize(Path store, String key) throws IOException {
    BufferedImage thumb = ImageIO.read(store.resolve("thumbs/" + key + ".jpg").toFile());
    return List.of(thumb.getWidth(), thumb.getHeight());
  }
}
