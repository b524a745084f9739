package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.imagesearch.ImageSearchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a real local HTTP server serving fake model files. */
class ModelDownloaderTest {
  private static final byte[] TOKENIZER =
      "{\"model\": \"fake tokenizer\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TEXT_MODEL = new byte[300_000];

  static {
    for (int i = 0; i < TEXT_MODEL.length; i++) {
      TEXT_MODEL[i] = (byte) (i * 31 + 7);
    }
  }

  private final Map<String, byte[]> served = new ConcurrentHashMap<>();

  /** Extra response headers per path, as the hub sends them (X-Linked-Etag, ETag, ...). */
  private final Map<String, Map<String, String>> headers = new ConcurrentHashMap<>();

  private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;
  private URI base;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  @TempDir Path target;

  @BeforeEach
  void startServer() throws IOException {
    served.put("/repo/resolve/abc123/tokenizer.json", TOKENIZER);
    served.put("/repo/resolve/abc123/onnx/text_model_quantized.onnx", TEXT_MODEL);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String range = exchange.getRequestHeaders().getFirst("Range");
          boolean head = exchange.getRequestMethod().equals("HEAD");
          requests.add((head ? "HEAD " : "") + path + (range == null ? "" : " " + range));
          byte[] body = served.get(path);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          headers.getOrDefault(path, Map.of()).forEach(exchange.getResponseHeaders()::add);
          if (head) {
            // The hub answers an LFS file with a redirect to its storage host.
            boolean lfs = headers.getOrDefault(path, Map.of()).containsKey("X-Linked-Etag");
            exchange.getResponseHeaders().add("Location", "https://cdn.example/never-followed");
            exchange.sendResponseHeaders(lfs ? 302 : 200, -1);
            exchange.close();
            return;
          }
          int from = 0;
          int status = 200;
          if (range != null) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            status = 206;
          }
          exchange.sendResponseHeaders(status, body.length - from);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body, from, body.length - from);
          }
        });
    server.start();
    base =
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/repo/resolve/abc123/");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private ModelPins pins(String tokenizerHash, String textHash) {
    return new ModelPins(
        "abc123",
        List.of(
            new ModelPins.PinnedFile(
                "tokenizer.json", java.util.Optional.ofNullable(tokenizerHash)),
            new ModelPins.PinnedFile(
                "onnx/text_model_quantized.onnx", java.util.Optional.ofNullable(textHash))));
  }

  @Test
  void downloadsVerifiesAndSkipsWhatIsAlreadyThere() throws IOException {
    ModelDownloader downloader =
        new ModelDownloader(base, pins(sha(TOKENIZER), sha(TEXT_MODEL)), log);

    assertEquals(new ModelDownloader.Summary(2, 0), downloader.download(target, false));
    assertArrayEquals(TOKENIZER, Files.readAllBytes(target.resolve("tokenizer.json")));
    assertArrayEquals(
        TEXT_MODEL, Files.readAllBytes(target.resolve("onnx/text_model_quantized.onnx")));

    requests.clear();
    assertEquals(new ModelDownloader.Summary(0, 2), downloader.download(target, false));
    assertEquals(List.of(), requests, "a second run sends no request");
    assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("up to date: tokenizer.json"));
  }

  @Test
  void corruptedFileIsRejectedAndNothingIsLeftBehind() throws IOException {
    byte[] corrupted = TEXT_MODEL.clone();
    corrupted[1234] ^= 1;
    served.put("/repo/resolve/abc123/onnx/text_model_quantized.onnx", corrupted);
    ModelDownloader downloader =
        new ModelDownloader(base, pins(sha(TOKENIZER), sha(TEXT_MODEL)), log);

    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));

    assertTrue(
        e.getMessage().startsWith("checksum mismatch for onnx/text_model_quantized.onnx"),
        e.getMessage());
    assertTrue(e.getMessage().contains("expected sha256 " + sha(TEXT_MODEL)), e.getMessage());
    assertTrue(e.getMessage().contains("got " + sha(corrupted)), e.getMessage());
    try (Stream<Path> files = Files.list(target.resolve("onnx"))) {
      assertEquals(List.of(), files.toList(), "no model file and no .part file remain");
    }
  }

  @Test
  void resumesAnInterruptedDownloadWithARangeRequest() throws IOException {
    Path part = target.resolve("onnx/text_model_quantized.onnx.part");
    Files.createDirectories(part.getParent());
    Files.write(part, java.util.Arrays.copyOf(TEXT_MODEL, 100_000));
    ModelDownloader downloader =
        new ModelDownloader(base, pins(sha(TOKENIZER), sha(TEXT_MODEL)), log);

    downloader.download(target, false);

    assertTrue(
        requests.contains("/repo/resolve/abc123/onnx/text_model_quantized.onnx bytes=100000-"),
        requests.toString());
    assertArrayEquals(
        TEXT_MODEL, Files.readAllBytes(target.resolve("onnx/text_model_quantized.onnx")));
    assertFalse(Files.exists(part));
  }

  @Test
  void replacesAnInstalledFileWhoseHashNoLongerMatches() throws IOException {
    Files.write(target.resolve("tokenizer.json"), "stale".getBytes(StandardCharsets.UTF_8));
    new ModelDownloader(base, pins(sha(TOKENIZER), sha(TEXT_MODEL)), log).download(target, false);
    assertArrayEquals(TOKENIZER, Files.readAllBytes(target.resolve("tokenizer.json")));
  }

  @Test
  void unpinnedFilesWithoutAnAddressFromTheHostAreRefusedUnlessAllowedAndThenTheirHashIsPrinted()
      throws IOException {
    ModelDownloader downloader = new ModelDownloader(base, pins(null, sha(TEXT_MODEL)), log);

    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));
    assertEquals(
        "no pinned sha256 for tokenizer.json in the pin list, and 127.0.0.1 gives no checksum for"
            + " it: fill in "
            + ModelPins.BUILT_IN
            + " (or pass --pins FILE); until then `make model MODEL_ARGS=--allow-unpinned`"
            + " downloads anyway and prints each file's sha256 to paste there",
        e.getMessage());
    assertEquals(List.of("HEAD /repo/resolve/abc123/tokenizer.json"), requests, "nothing fetched");

    downloader.download(target, true);
    assertTrue(
        logBytes
            .toString(StandardCharsets.UTF_8)
            .contains(
                "sha256 "
                    + sha(TOKENIZER)
                    + " tokenizer.json "
                    + TOKENIZER.length
                    + "   (not checked; add to the pin list)"),
        logBytes.toString(StandardCharsets.UTF_8));
  }

  /** The hub's headers for the test's files: LFS sha256 for the model, Git blob id for JSON. */
  private void hubAddresses(String commit) {
    headers.put(
        "/repo/resolve/abc123/onnx/text_model_quantized.onnx",
        HubStandIn.headers(TEXT_MODEL, true, commit));
    headers.put(
        "/repo/resolve/abc123/tokenizer.json", HubStandIn.headers(TOKENIZER, false, commit));
  }

  @Test
  void unpinnedFilesAreCheckedAgainstTheHostsAddressForTheRevisionAndTheirPinIsPrinted()
      throws IOException {
    hubAddresses("abc123");
    ModelDownloader downloader = new ModelDownloader(base, pins(null, null), log);

    assertEquals(new ModelDownloader.Summary(2, 0), downloader.download(target, false));

    assertArrayEquals(TOKENIZER, Files.readAllBytes(target.resolve("tokenizer.json")));
    assertArrayEquals(
        TEXT_MODEL, Files.readAllBytes(target.resolve("onnx/text_model_quantized.onnx")));
    String printed = logBytes.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains(
            "sha256 "
                + sha(TEXT_MODEL)
                + " onnx/text_model_quantized.onnx "
                + TEXT_MODEL.length
                + "   (matches 127.0.0.1's sha256 "
                + sha(TEXT_MODEL)
                + "; add to the pin list)"),
        printed);
    assertTrue(
        printed.contains(
            "sha256 "
                + sha(TOKENIZER)
                + " tokenizer.json "
                + TOKENIZER.length
                + "   (matches 127.0.0.1's Git blob "
                + HubStandIn.gitBlobId(TOKENIZER)),
        printed);
  }

  @Test
  void aDownloadThatIsNotTheFileTheHostNamesIsDeleted() throws IOException {
    hubAddresses("abc123");
    byte[] tampered = TEXT_MODEL.clone();
    tampered[99] ^= 1;
    served.put("/repo/resolve/abc123/onnx/text_model_quantized.onnx", tampered);
    ModelDownloader downloader = new ModelDownloader(base, pins(null, null), log);

    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));

    assertEquals(
        "checksum mismatch for onnx/text_model_quantized.onnx from "
            + base
            + "onnx/text_model_quantized.onnx: the host gives sha256 "
            + sha(TEXT_MODEL)
            + " ("
            + TEXT_MODEL.length
            + " bytes), the download has "
            + sha(tampered)
            + " ("
            + tampered.length
            + " bytes); the download was deleted, nothing was installed",
        e.getMessage());
    try (Stream<Path> files = Files.list(target.resolve("onnx"))) {
      assertEquals(List.of(), files.toList(), "no model file and no .part file remain");
    }
  }

  @Test
  void aHostThatResolvesThePinnedCommitToAnotherCommitIsRefusedBeforeAnyDownload() {
    String pinned = "d15189d7028b43f1d3e65039190477f6af591c2a";
    hubAddresses("0000000000000000000000000000000000000001");
    ModelPins commitPins =
        new ModelPins(
            pinned,
            List.of(
                new ModelPins.PinnedFile("tokenizer.json", java.util.Optional.empty()),
                new ModelPins.PinnedFile(
                    "onnx/text_model_quantized.onnx", java.util.Optional.empty())));
    ModelDownloader downloader = new ModelDownloader(base, commitPins, log);

    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));

    assertEquals(
        "127.0.0.1 answered for commit 0000000000000000000000000000000000000001, not the pinned"
            + " revision "
            + pinned
            + "; nothing was downloaded",
        e.getMessage());
    assertEquals(List.of("HEAD /repo/resolve/abc123/tokenizer.json"), requests);
  }

  @Test
  void anUnpinnedFileMissingAtTheRevisionSaysToCheckTheRevision() {
    served.remove("/repo/resolve/abc123/tokenizer.json");
    ModelDownloader downloader = new ModelDownloader(base, pins(null, sha(TEXT_MODEL)), log);
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));
    assertEquals(
        "HEAD "
            + base
            + "tokenizer.json returned HTTP 404: no tokenizer.json at revision abc123; check the"
            + " revision line of the pin list against the repository's commits",
        e.getMessage());
  }

  @Test
  void missingFileOnTheServerNamesTheUrlAndStatus() {
    served.remove("/repo/resolve/abc123/tokenizer.json");
    ModelDownloader downloader =
        new ModelDownloader(base, pins(sha(TOKENIZER), sha(TEXT_MODEL)), log);
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));
    assertEquals("GET " + base + "tokenizer.json returned HTTP 404", e.getMessage());
  }

  @Test
  void unreachableHostSaysSoAndNamesTheMirrorSetting() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ModelDownloader downloader =
        new ModelDownloader(
            URI.create("http://127.0.0.1:" + closedPort + "/repo/"),
            pins(sha(TOKENIZER), sha(TEXT_MODEL)),
            log);
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));
    assertTrue(e.getMessage().startsWith("cannot reach 127.0.0.1: "), e.getMessage());
    assertTrue(
        e.getMessage().endsWith(" (no network? HF_ENDPOINT names a mirror of huggingface.co)"),
        e.getMessage());
  }

  @Test
  void builtInPinListNamesTheFiveModelFilesAtOneRevision() {
    ModelPins pins = ModelPins.builtIn();
    assertEquals(40, pins.revision().length());
    assertEquals(
        List.of(
            "config.json",
            "preprocessor_config.json",
            "tokenizer.json",
            "onnx/text_model_quantized.onnx",
            "onnx/vision_model_quantized.onnx"),
        pins.files().stream().map(ModelPins.PinnedFile::path).toList());
    assertEquals(
        URI.create(
            "https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/" + pins.revision() + "/"),
        ModelDownloader.defaultBaseUrl(pins, null));
    // HF_ENDPOINT (a mirror) replaces the host only; the repository path and revision stay.
    assertEquals(
        URI.create(
            "http://127.0.0.1:8123/Xenova/clip-vit-base-patch32/resolve/" + pins.revision() + "/"),
        ModelDownloader.defaultBaseUrl(pins, "http://127.0.0.1:8123/"));
  }

  @Test
  void builtInMultilingualPinsNameTheSentenceTransformersExportAndWhereEachFileGoes() {
    ModelPins pins = ModelPins.multilingual();
    assertEquals(
        List.of(
            "onnx/model_qint8_avx512.onnx -> onnx/text_model_multilingual_quantized.onnx",
            "tokenizer.json -> tokenizer_multilingual.json",
            "2_Dense/model.safetensors -> text_projection_multilingual.safetensors"),
        pins.files().stream().map(f -> f.path() + " -> " + f.localPath()).toList());
    assertEquals(
        java.util.Optional.of("3bed77e83926519660b5c0833cb3321cfde952331edec4f7d501c7d384b8a8a7"),
        pins.files().get(0).sha256());
    assertEquals(
        URI.create(
            "https://huggingface.co/sentence-transformers/clip-ViT-B-32-multilingual-v1/resolve/"
                + "e5ec8447a7e1c7a01ec5f9c1b487f3a1fad33aef/"),
        ModelDownloader.multilingualBaseUrl(pins, ""));
  }

  /**
   * The tiny model's multilingual tower served under the sentence-transformers repository's names
   * (token-state ONNX, tokenizer.json, 2_Dense safetensors): downloaded, renamed into a model
   * folder, and loaded through ClipModel as the pooled-and-projected tower.
   */
  @Test
  void multilingualTowerIsFetchedIntoTheModelFolderAndLoadsThroughTheSameCode(
      @TempDir Path model, @TempDir Path scratch) throws IOException {
    MultilingualTowerTest.copyWithout(model, "text_model_multilingual");
    Files.delete(model.resolve("tokenizer_multilingual.json"));
    byte[] onnx =
        Files.readAllBytes(
            TinyClip.modelDir().resolve("onnx/text_model_multilingual_quantized.onnx"));
    byte[] tokenizer =
        Files.readAllBytes(TinyClip.modelDir().resolve("tokenizer_multilingual.json"));
    float[][] identity = new float[64][64];
    for (int i = 0; i < 64; i++) {
      identity[i][i] = 1;
    }
    Path densePath = scratch.resolve("dense.safetensors");
    MultilingualTowerTest.writeSafetensors(densePath, "linear.weight", identity);
    byte[] dense = Files.readAllBytes(densePath);
    served.put("/repo/resolve/abc123/onnx/model_qint8_avx512.onnx", onnx);
    served.put("/repo/resolve/abc123/tokenizer.json", tokenizer);
    served.put("/repo/resolve/abc123/2_Dense/model.safetensors", dense);
    String pinText =
        "revision abc123\n"
            + ("sha256 " + sha(onnx) + " onnx/model_qint8_avx512.onnx " + onnx.length)
            + " onnx/text_model_multilingual_quantized.onnx\n"
            + ("sha256 " + sha(tokenizer) + " tokenizer.json - tokenizer_multilingual.json\n")
            + ("sha256 " + sha(dense) + " 2_Dense/model.safetensors - ")
            + "text_projection_multilingual.safetensors\n";
    ModelPins pins =
        ModelPins.parse(new ByteArrayInputStream(pinText.getBytes(StandardCharsets.UTF_8)), "t");

    assertEquals(
        new ModelDownloader.Summary(3, 0),
        new ModelDownloader(base, pins, log).download(model, false));

    try (ClipModel loaded = ClipModel.load(model, ClipModel.Options.defaults())) {
      TextEmbedder french = loaded.tower(TextTower.MULTILINGUAL);
      assertTrue(french instanceof PooledTextEncoder, french.getClass().getName());
      assertEquals(TextTower.MULTILINGUAL, french.tower());
      float[] v = french.embedText("trois étoiles orange");
      assertEquals(64, v.length);
      assertEquals(1.0, Math.sqrt(Vectors.dot(v, v)), 1e-5);
    }
  }

  @Test
  void malformedPinLineIsReportedWithItsLineNumber() {
    String text = "revision abc\nsha256 nothex tokenizer.json\n";
    ImageSearchException e =
        assertThrows(
            ImageSearchException.class,
            () ->
                ModelPins.parse(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "pins.txt"));
    assertEquals("pins.txt line 2: not a sha256 (64 hex digits): nothex", e.getMessage());
  }

  private static String sha(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFileOfAnotherSizeThanPinnedIsRefusedBeforeItsChecksum() throws IOException {
    ModelPins pins =
        ModelPins.parse(
            new java.io.ByteArrayInputStream(
                ("revision abc123\n"
                        + "sha256 "
                        + sha(TOKENIZER)
                        + " tokenizer.json "
                        + (TOKENIZER.length + 1)
                        + "\n")
                    .getBytes(StandardCharsets.UTF_8)),
            "test.pins");
    assertEquals(java.util.OptionalLong.of(TOKENIZER.length + 1), pins.files().get(0).size());

    ImageSearchException e =
        assertThrows(
            ImageSearchException.class,
            () -> new ModelDownloader(base, pins, log).download(target, false));

    assertEquals(
        "size mismatch for tokenizer.json from "
            + base.resolve("tokenizer.json")
            + ": expected "
            + (TOKENIZER.length + 1)
            + " bytes, got "
            + TOKENIZER.length
            + "; the download was deleted, nothing was installed",
        e.getMessage());
    assertFalse(Files.exists(target.resolve("tokenizer.json")));
  }
}
