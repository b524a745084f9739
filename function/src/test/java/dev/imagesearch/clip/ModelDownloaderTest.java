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
          requests.add(path + (range == null ? "" : " " + range));
          byte[] body = served.get(path);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
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
  void unpinnedFilesAreRefusedUnlessAllowedAndThenTheirHashIsPrinted() throws IOException {
    ModelDownloader downloader = new ModelDownloader(base, pins(null, sha(TEXT_MODEL)), log);

    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> downloader.download(target, false));
    assertTrue(e.getMessage().startsWith("no pinned sha256 for tokenizer.json"), e.getMessage());
    assertEquals(List.of(), requests);

    downloader.download(target, true);
    assertTrue(
        logBytes
            .toString(StandardCharsets.UTF_8)
            .contains("sha256 " + sha(TOKENIZER) + " tokenizer.json"),
        logBytes.toString(StandardCharsets.UTF_8));
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
  void unreachableHostSaysSoAndThatTheTinyModelIsUsed() throws IOException {
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
    assertTrue(e.getMessage().endsWith("; the tiny model is used instead"), e.getMessage());
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
        ModelDownloader.defaultBaseUrl(pins));
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
