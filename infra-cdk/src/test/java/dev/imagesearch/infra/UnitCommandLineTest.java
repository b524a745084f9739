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
 * socket. Only machine paths change: the JDK running this test instead of {@code /usr/bin/java},
 * the built jar instead of {@code /opt/image-search/image-search.jar}, and temp folders instead of
 * {@code /var/lib} and {@code /var/cache} (which systemd would create); the port is a free one.
 */
class UnitCommandLineTest {
  private static final String SERVER_CLASS = "dev/imagesearch/server/HttpServerMain.class";

  @Test
  void theUnitsCommandLineServesHealthz(@TempDir Path tmp) throws Exception {
    Path jar = TestStacks.layout().jar();
    assertTrue(
        Files.isRegularFile(jar), jar + " not built: run ./mvnw verify (function is built first)");
    assertTrue(hasEntry(jar, SERVER_CLASS), jar + " has no " + SERVER_CLASS);

    int port = freePort();
    List<String> command =
        UnitFile.read().execStart().stream()
            .map(
                arg ->
                    arg.replace("/usr/bin/java", javaOfThisJvm())
                        .replace("/opt/image-search/image-search.jar", jar.toString())
                        .replace("/var/lib/image-search", tmp.resolve("state").toString())
                        .replace("/var/cache/image-search", tmp.resolve("cache").toString()))
            .toList();
    Files.createDirectories(tmp.resolve("state"));
    Files.createDirectories(tmp.resolve("cache"));

    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(tmp.resolve("server.log").toFile());
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
    env.put("PORT", Integer.toString(port));
    env.put("IMAGE_SEARCH_BIND", "127.0.0.1");

    Process server = builder.start();
    try {
      HttpResponse<String> response = awaitHealthz(server, port, tmp.resolve("server.log"));
      assertEquals(200, response.statusCode(), response.body());
      assertEquals("{\"status\":\"ok\"}", response.body());
      // No AWS here: the service is up but not ready, and says why instead of crashing.
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"ready\":false"), ready.body());
    } finally {
      server.destroy(); // SIGTERM, as systemctl stop sends
      server.waitFor();
    }
    // The clean stop wrote the class-data-sharing archive the next start will map.
    assertTrue(Files.size(tmp.resolve("state/app.jsa")) > 0, "CDS archive written on stop");
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
