package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the built jar with exactly the unit's {@code ExecStart} (same JVM options, same {@code
 * serve} argument) and the template's environment, then asks {@code GET /healthz} over a real
 * socket; before that, trains its AOT cache with the two command lines install.sh derives from that
 * {@code ExecStart}, as install.sh does on the instance. Only machine paths change: the JDK running
 * this test instead of {@code /usr/bin/java}, the built jar instead of {@code
 * /opt/image-search/image-search.jar}, and temp folders instead of {@code /var/lib} and {@code
 * /var/cache} (which systemd would create); the port is a free one.
 */
class UnitCommandLineTest {
  private static final String SERVER_CLASS = "dev/imagesearch/server/HttpServerMain.class";
  private static final Path INSTALL = TestStacks.layout().ec2Dir().resolve("install.sh");

  @Test
  void theUnitsCommandLineServesHealthzFromTheAotCacheInstallShTrains(@TempDir Path tmp)
      throws Exception {
    Path jar = TestStacks.layout().jar();
    assertTrue(
        Files.isRegularFile(jar), jar + " not built: run ./mvnw verify (function is built first)");
    assertTrue(hasEntry(jar, SERVER_CLASS), jar + " has no " + SERVER_CLASS);
    Files.createDirectories(tmp.resolve("state"));
    Files.createDirectories(tmp.resolve("cache"));

    List<String> aot = printedAotCommands();
    // Training: the service's command recording what it loads, written when it stops.
    Server training = serve(tmp, words(aot.get(0), jar, tmp), Map.of(), "training.log");
    assertEquals(200, training.healthz().statusCode());
    training.stop();
    assertTrue(Files.size(tmp.resolve("state/app.aot.conf")) > 0, "training record written");
    // Creation, outside the service.
    Process create =
        new ProcessBuilder(words(aot.get(1), jar, tmp))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("create.log").toFile())
            .start();
    assertEquals(0, create.waitFor(), Files.readString(tmp.resolve("create.log")));
    assertTrue(Files.size(tmp.resolve("state/app.aot")) > 0, "AOT cache written");

    // The service itself; -XX:AOTMode=on makes the JVM exit unless it can use that cache.
    List<String> command = words(String.join(" ", UnitFile.read().execStart()), jar, tmp);
    Server server = serve(tmp, command, Map.of("JDK_JAVA_OPTIONS", "-XX:AOTMode=on"), "server.log");
    try {
      HttpResponse<String> response = server.healthz();
      assertEquals(200, response.statusCode(), response.body());
      assertEquals("{\"status\":\"ok\"}", response.body());
      // No AWS here: the service is up but not ready, and says why instead of crashing.
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"ready\":false"), ready.body());
    } finally {
      server.stop();
    }
    assertTrue(
        Files.readString(tmp.resolve("server.log")).lines().noneMatch(l -> l.contains("[error]")),
        Files.readString(tmp.resolve("server.log")));
  }

  /** install.sh's training and creation command lines for the real unit. */
  private static List<String> printedAotCommands() throws Exception {
    Process p =
        new ProcessBuilder(
                "bash",
                INSTALL.toString(),
                "--print-aot-commands",
                "--unit",
                UnitFile.read().path().toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> lines = out.lines().toList();
    assertEquals(2, lines.size(), out);
    return lines;
  }

  /** A unit command line with this machine's paths. */
  private static List<String> words(String command, Path jar, Path tmp) {
    return List.of(command.split(" ")).stream()
        .map(
            arg ->
                arg.replace("/usr/bin/java", javaOfThisJvm())
                    .replace("/opt/image-search/image-search.jar", jar.toString())
                    .replace("/var/lib/image-search", tmp.resolve("state").toString())
                    .replace("/var/cache/image-search", tmp.resolve("cache").toString()))
        .toList();
  }

  /** A started server process and its port. */
  private record Server(Process process, int port, Path log) {
    HttpResponse<String> healthz() throws Exception {
      return awaitHealthz(process, port, log);
    }

    /** SIGTERM, as systemctl stop sends. */
    void stop() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }

  private static Server serve(Path tmp, List<String> command, Map<String, String> extra, String log)
      throws IOException {
    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(tmp.resolve(log).toFile());
    Map<String, String> env = builder.environment();
    ServiceEnvironmentTest.templateEntries()
        .forEach(
            (name, value) ->
                env.put(
                    name,
                    value
                        .replace("__BUCKET_NAME__", "image-search-test")
                        .replace("__AWS_REGION__", "eu-west-1")
                        .replace("/var/cache/image-search", tmp.resolve("cache").toString())));
    env.remove("ENDPOINT_URL"); // commented out in the template
    String[] unitSetting = UnitFile.read().get("Service.Environment").split("=", 2);
    env.put(unitSetting[0], unitSetting[1]);
    env.put("PORT", Integer.toString(port));
    env.put("IMAGE_SEARCH_BIND", "127.0.0.1");
    env.putAll(extra);
    return new Server(builder.start(), port, tmp.resolve(log));
  }

  private static HttpResponse<String> awaitHealthz(Process server, int port, Path log)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
    // Generous: the start is measured by the benchmarks, here it only has to happen.
    for (int attempt = 0; attempt < 600; attempt++) {
      if (!server.isAlive()) {
        throw new AssertionError(
            "server exited with " + server.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException notYetListening) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("no answer on port " + port + ":\n" + Files.readString(log));
  }

  private static String javaOfThisJvm() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static boolean hasEntry(Path jar, String entry) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.getEntry(entry) != null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
