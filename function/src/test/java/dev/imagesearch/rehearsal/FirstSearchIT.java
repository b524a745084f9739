package dev.imagesearch.rehearsal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.imagesearch.Sha256;
import dev.imagesearch.clip.HubStandIn;
import dev.imagesearch.clip.ModelPins;
import dev.imagesearch.synth.GalleryWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A laptop user's first real search (README, "Quick start with your own photos"): {@code make run
 * IMAGES=<folder>} with only the built-in tiny model present, run as a user runs it: make in the
 * project root, then the recipe's shell, {@code make model}, the indexer and the server, each its
 * own process.
 *
 * <p>The model host is a local HTTP server on loopback, named by {@code HF_ENDPOINT} (the variable
 * Hugging Face's own tools read for a mirror); it serves the public repository's paths ({@code
 * /Xenova/clip-vit-base-patch32/resolve/<pinned revision>/...}) with the tiny model's files as
 * stand-in content. Only paths change for the test: {@code REAL_MODEL} and {@code DATA} point into
 * a temp folder (a developer's own {@code work-data/model} would otherwise skip the fetch, and
 * would be overwritten), and {@code -o} keeps make from rebuilding the jar that {@code verify} just
 * packaged.
 */
class FirstSearchIT {
  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).normalize();
  private static final Path TINY = ROOT.resolve("function/src/test/resources/tiny-clip");
  private static final String JAR = "function/target/image-search.jar";
  private static final String REPOSITORY =
      "/Xenova/clip-vit-base-patch32/resolve/" + ModelPins.builtIn().revision() + "/";
  private static final List<String> MODEL_FILES =
      List.of(
          "config.json",
          "preprocessor_config.json",
          "tokenizer.json",
          "onnx/text_model_quantized.onnx",
          "onnx/vision_model_quantized.onnx");

  /** The stand-in's config.json carries the public export's name, so the two can be told apart. */
  private static final String FETCHED_NAME = "openai/clip-vit-base-patch32";

  /** The commit the stand-in host says the pinned revision is, as huggingface.co does. */
  private static final String COMMIT = ModelPins.builtIn().revision();

  private static final String TINY_ONLY =
      "The built-in model only knows coloured shapes; photos need the real CLIP model.";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  private Path photos;
  private Path model;
  private Path data;
  private HttpServer host;
  private final Map<String, byte[]> served = new HashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private int errorStatus; // 0: serve the files; else every request gets this status
  private boolean contentAddresses = true; // the hub's X-Linked-Etag / ETag headers
  private String target = "run"; // the make target the user runs

  @BeforeEach
  void photosAndAModelHost() throws IOException {
    assertTrue(Files.isRegularFile(ROOT.resolve(JAR)), "no " + JAR + ": run through mvn verify");
    photos = dir.resolve("photos");
    new GalleryWriter().write(11, 6, photos, "png");
    model = dir.resolve("work-data/model/clip-vit-base-patch32");
    data = dir.resolve("work-data/collections/photos");
    for (String file : MODEL_FILES) {
      served.put(REPOSITORY + file, Files.readAllBytes(TINY.resolve(file)));
    }
    ObjectNode config = (ObjectNode) JSON.readTree(TINY.resolve("config.json").toFile());
    config.put("_name_or_path", FETCHED_NAME);
    config.remove(
        "image_search_weights_version"); // the tiny model's marker; no public export has it
    served.put(REPOSITORY + "config.json", JSON.writeValueAsBytes(config));
    host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    host.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          boolean head = exchange.getRequestMethod().equals("HEAD");
          requests.add((head ? "HEAD " : "") + path);
          byte[] body = served.get(path);
          int status = errorStatus != 0 ? errorStatus : body == null ? 404 : 200;
          if (status == 200 && contentAddresses) {
            HubStandIn.headers(body, path.endsWith(".onnx"), COMMIT)
                .forEach(exchange.getResponseHeaders()::add);
          }
          if (status != 200) {
            exchange.sendResponseHeaders(status, -1);
          } else if (head) {
            // Like huggingface.co: an LFS file's answer redirects to its storage host.
            boolean lfs = path.endsWith(".onnx");
            exchange.getResponseHeaders().add("Location", "https://cdn.example/not-followed");
            exchange.sendResponseHeaders(lfs ? 302 : 200, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    host.start();
  }

  @AfterEach
  void stopHost() {
    host.stop(0);
  }

  private String hostUrl() {
    return "http://127.0.0.1:" + host.getAddress().getPort();
  }

  /**
   * The pins are not filled in and the host gives no content address to check the files against (a
   * plain mirror): make model refuses before downloading anything.
   */
  @Test
  void aHostWithoutChecksumsStopsItBeforeAnyDownloadAndSaysHowToGoOn() throws Exception {
    contentAddresses = false;
    int port = freePort();
    Run run = make(hostUrl(), port);

    assertStoppedBeforeIndexing(run, port, "make model");
    assertTrue(
        run.output()
            .contains(
                "make model: no pinned sha256 for config.json in the pin list, and 127.0.0.1"
                    + " gives no checksum for it"),
        run.output());
    assertTrue(
        run.output()
            .contains("until then `make model MODEL_ARGS=--allow-unpinned` downloads anyway"),
        run.output());
    assertEquals(List.of("HEAD " + REPOSITORY + "config.json"), requests);
    assertFalse(Files.exists(model.resolve("config.json")));
  }

  @Test
  void offlineItStopsWithTheSentenceAndTheCommand() throws Exception {
    int port = freePort();
    Run run = make("http://127.0.0.1:" + freePort(), port);
    System.out.println("first search, offline: make run printed:\n" + run.output());

    assertStoppedBeforeIndexing(run, port, "make model");
    assertTrue(
        run.output()
            .contains("make model: cannot reach 127.0.0.1: connection refused (no network?"),
        run.output());
    assertFalse(Files.exists(model.resolve("config.json")));
  }

  @Test
  void aHostAnsweringErrorsStopsItTheSameWay() throws Exception {
    errorStatus = 503;
    int port = freePort();
    Run run = make(hostUrl(), port);

    assertStoppedBeforeIndexing(run, port, "make model");
    assertTrue(
        run.output()
            .contains(
                "make model: HEAD " + hostUrl() + REPOSITORY + "config.json returned HTTP 503"),
        run.output());
    assertEquals(List.of("HEAD " + REPOSITORY + "config.json"), requests);
    assertFalse(Files.exists(model.resolve("config.json")));
  }

  /** {@code make index IMAGES=...} alone would index photos with the tiny model: it fetches too. */
  @Test
  void makeIndexWithOnlyTheTinyModelFetchesTheRealOneOrStopsTheSameWay() throws Exception {
    target = "index";
    int port = freePort();
    Run run = make("http://127.0.0.1:" + freePort(), port);

    assertStoppedBeforeIndexing(run, port, "make model");
    assertTrue(
        run.output()
            .contains("make model: cannot reach 127.0.0.1: connection refused (no network?"),
        run.output());
  }

  /** An interrupted earlier make model left config.json only: that is not a model to index with. */
  @Test
  void anInterruptedDownloadIsNotTakenForTheRealModel() throws Exception {
    Files.createDirectories(model);
    Files.write(model.resolve("config.json"), served.get(REPOSITORY + "config.json"));
    int port = freePort();
    Run run = make("http://127.0.0.1:" + freePort(), port, "MODEL_ARGS=--allow-unpinned");

    // The closing sentence repeats the MODEL_ARGS the user gave.
    assertStoppedBeforeIndexing(run, port, "make model MODEL_ARGS='--allow-unpinned'");
    assertTrue(
        run.output()
            .contains("make model: cannot reach 127.0.0.1: connection refused (no network?"),
        run.output());
  }

  /**
   * The host answers like huggingface.co: make model, with no flag, checks each unpinned file
   * against the host's content address for the pinned commit and prints its pin line, then the
   * folder is indexed with the fetched model and served; a search answers with the folder's PNGs.
   * {@code MULTILINGUAL=0}: the multilingual tower's model file is pinned to the real file's
   * sha256, which no stand-in can match.
   */
  @Test
  void theRealModelIsFetchedThenTheFolderIsIndexedAndServed() throws Exception {
    Path log = dir.resolve("make-run.log");
    Process make = start(hostUrl(), 0, log, List.of("MULTILINGUAL=0"));
    try {
      String base = "http://127.0.0.1:" + awaitListening(make, log);
      JsonNode ready = awaitReady(make, base, log);
      assertEquals(FETCHED_NAME, ready.get("model").asText(), ready.toString());
      assertEquals(6, ready.get("images").asInt(), ready.toString());

      // What make printed, in order: why it fetches, each file's hash to pin, then the fetched
      // model indexes and serves the folder.
      String output = awaitLine(make, log, "ready: model " + FETCHED_NAME + ", index ");
      System.out.println("first search: make run printed:\n" + output);
      List<String> lines = output.lines().toList();
      assertEquals(TINY_ONLY + " Fetching it first: make model", lines.get(0), output);
      for (String file : MODEL_FILES) {
        byte[] bytes = served.get(REPOSITORY + file);
        assertArrayEquals(bytes, Files.readAllBytes(model.resolve(file)), file);
        String address =
            file.endsWith(".onnx")
                ? "sha256 " + Sha256.hex(bytes)
                : "Git blob " + HubStandIn.gitBlobId(bytes);
        String pinLine =
            "sha256 "
                + Sha256.hex(model.resolve(file))
                + " "
                + file
                + " "
                + bytes.length
                + "   (matches 127.0.0.1's "
                + address
                + "; add to the pin list)";
        assertTrue(lines.contains(pinLine), pinLine + "\n" + output);
      }
      assertTrue(
          lines.contains("model ready in " + model + " (5 downloaded, 0 already up to date)"),
          output);
      assertTrue(lines.contains("model: " + model), output);
      assertFalse(output.contains("error:"), output);
      List<String> expected = new ArrayList<>();
      MODEL_FILES.forEach(f -> expected.add("HEAD " + REPOSITORY + f));
      MODEL_FILES.forEach(f -> expected.add(REPOSITORY + f));
      assertEquals(expected, requests, "every address first, then every file");
      // The index in DATA was written by the fetched model, with its six images.
      Path index = data.resolve("index");
      JsonNode manifest =
          JSON.readTree(
              index
                  .resolve(Files.readString(index.resolve("CURRENT")).strip())
                  .resolve("manifest.json")
                  .toFile());
      assertEquals(FETCHED_NAME, manifest.get("model_id").asText(), manifest.toString());
      assertEquals(6, manifest.get("count").asInt(), manifest.toString());

      JsonNode result = getJson(base + "/api/search?q=three%20red%20circles&k=3");
      JsonNode hits = result.get("hits");
      assertEquals(3, hits.size(), result.toString());
      for (JsonNode hit : hits) {
        Path image = photos.resolve(hit.get("key").asText());
        assertTrue(image.toString().endsWith(".png") && Files.isRegularFile(image), hit.toString());
        HttpResponse<byte[]> bytes =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base).resolve(hit.get("url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, bytes.statusCode(), hit.toString());
        assertEquals("image/png", bytes.headers().firstValue("content-type").orElse(""));
        assertArrayEquals(Files.readAllBytes(image), bytes.body(), hit.toString());
      }
      String page = get(base + "/?q=three%20red%20circles").body();
      assertTrue(page.contains("<span id=\"model\">" + FETCHED_NAME + "</span>"), page);
      assertFalse(page.contains("the small built-in test model"), page);

      int port = URI.create(base).getPort();
      interrupt(make);
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    } finally {
      make.descendants().forEach(ProcessHandle::destroyForcibly);
      make.destroyForcibly();
    }
  }

  /**
   * What the user sees when the fetch fails: exit 2, the sentence and the command, and nothing
   * after it: no model announced, no index written, no server.
   */
  private void assertStoppedBeforeIndexing(Run run, int port, String modelCommand) {
    List<String> lines = run.output().lines().toList();
    assertEquals(2, run.exit(), run.output());
    assertEquals(TINY_ONLY + " Fetching it first: make model", lines.get(0), run.output());
    assertTrue(
        lines.contains(
            "error: "
                + TINY_ONLY
                + " Run `"
                + modelCommand
                + "` on a machine that reaches huggingface.co, then `make "
                + target
                + " IMAGES="
                + photos
                + "` again."),
        run.output());
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("model: ")), run.output());
    assertFalse(run.output().contains("listening on"), run.output());
    assertFalse(Files.exists(data), "something was indexed into " + data);
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  private record Run(int exit, String output) {}

  private Run make(String endpoint, int port, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "make-run", ".log");
    Process make = start(endpoint, port, log, List.of(args));
    if (!make.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      make.descendants().forEach(ProcessHandle::destroyForcibly);
      make.destroyForcibly();
      throw new AssertionError("make run did not finish:\n" + Files.readString(log));
    }
    return new Run(make.exitValue(), Files.readString(log));
  }

  /** {@code make run IMAGES=...} in the project root, from a user's shell environment. */
  private Process start(String endpoint, int port, Path log, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("make", "--no-print-directory", "-o", JAR, target));
    command.add("IMAGES=" + photos);
    command.add("REAL_MODEL=" + model);
    command.add("DATA=" + data);
    command.add("PORT=" + port);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    // `make test` runs this under make: its MAKEFLAGS/MAKELEVEL would leak into this make, and
    // the Makefile's own variables, settings and a mirror must come only from this test.
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("MAKE")
                    || name.equals("MFLAGS")
                    || name.startsWith("IMAGE_SEARCH_")
                    || name.startsWith("HF_")
                    || List.of("IMAGES", "DATA", "MODEL", "MODEL_ARGS", "MULTILINGUAL", "PORT")
                        .contains(name));
    env.put("HF_ENDPOINT", endpoint);
    return builder.start();
  }

  private static final Pattern LISTENING =
      Pattern.compile("image-search listening on http://127\\.0\\.0\\.1:(\\d+)/");

  private static int awaitListening(Process make, Path log) throws Exception {
    Matcher m = LISTENING.matcher(awaitLine(make, log, "image-search listening on "));
    assertTrue(m.find());
    return Integer.parseInt(m.group(1));
  }

  /** Waits until the log has a line containing {@code text}; returns the whole log. */
  private static String awaitLine(Process make, Path log, String text) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String output = Files.readString(log);
      if (output.contains(text)) {
        return output;
      }
      if (!make.isAlive()) {
        throw new AssertionError("make exited " + make.exitValue() + ":\n" + output);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' in time:\n" + Files.readString(log));
  }

  private static JsonNode awaitReady(Process make, String base, Path log) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline && make.isAlive()) {
      HttpResponse<String> ready = get(base + "/readyz");
      if (ready.statusCode() == 200) {
        return JSON.readTree(ready.body());
      }
      last = ready.body();
      Thread.sleep(200);
    }
    throw new AssertionError("not ready: " + last + "\n" + Files.readString(log));
  }

  /** Ctrl-C in the terminal: SIGINT to make and everything it started; all of them end. */
  private static void interrupt(Process make) throws Exception {
    List<ProcessHandle> all = new ArrayList<>(make.descendants().toList());
    all.add(make.toHandle());
    List<String> kill = new ArrayList<>(List.of("kill", "-INT"));
    all.forEach(p -> kill.add(Long.toString(p.pid())));
    assertEquals(0, new ProcessBuilder(kill).inheritIO().start().waitFor());
    for (ProcessHandle p : all) {
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response = get(url);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
