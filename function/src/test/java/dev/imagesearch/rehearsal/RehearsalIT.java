package dev.imagesearch.rehearsal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.store.S3BlobStore;
import dev.imagesearch.store.S3ProxyServer;
import dev.imagesearch.synth.GalleryWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make rehearse}: the runbook (docs/deploy.md) without AWS, against S3Proxy on loopback with
 * SigV4 on. Each step runs the way an operator or AWS runs it, as its own process:
 *
 * <ol>
 *   <li>{@code java -jar image-search.jar model push} puts the (tiny) model in the bucket;
 *   <li>the images are uploaded to {@code images/} (the runbook uses {@code aws s3 sync});
 *   <li>{@code java -jar image-search.jar index} indexes them into the bucket;
 *   <li>the EC2 unit's exact {@code ExecStart} (ec2/image-search.service) starts with the unit's
 *       environment file (ec2/image-search.env.template) as {@code .env} in its working directory
 *       and systemd's {@code CACHE_DIRECTORY}; it fetches the model, loads the index and answers a
 *       search whose presigned URLs serve the image bytes;
 *   <li>the Lambda zip, unpacked as the runtime lays it out ({@code LAMBDA_TASK_ROOT}), runs under
 *       the AWS Lambda Runtime Interface Client against a stand-in Runtime API, with the stack's
 *       environment, and answers API Gateway HTTP API (payload 2.0) events for {@code /}, {@code
 *       /api/search} and a bad request: the handler string, the zip layout and the runtime's own
 *       JSON serialization are all exercised.
 * </ol>
 *
 * Only machine paths change (this JDK for {@code /usr/bin/java}, temp folders for {@code /var/...},
 * a free port for 80), and credentials come from the environment instead of a role.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RehearsalIT {
  private static final String BUCKET = "rehearsal";
  private static final String MODEL_NAME = "clip-vit-base-patch32";
  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).normalize();
  private static final Path TINY = ROOT.resolve("function/src/test/resources/tiny-clip");
  private static final Path JAR = Path.of(System.getProperty("app.jar"));
  private static final Path LAMBDA_ZIP = Path.of(System.getProperty("lambda.host.zip"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

  @TempDir static Path dir;
  private static S3ProxyServer s3;
  private static Path gallery;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3"));
    s3.createBucket(BUCKET);
    gallery = dir.resolve("photos");
    new GalleryWriter().write(7, 40, gallery, "jpg");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  /** An operator's shell: credentials, region and the S3-compatible endpoint. */
  private static Map<String, String> operatorEnv() {
    Map<String, String> env = new LinkedHashMap<>(s3.env(BUCKET));
    env.remove("BUCKET_NAME");
    env.put("DJL_OFFLINE", "true");
    return env;
  }

  /**
   * A fresh stack publishes its first SnapStart version while its bucket is still empty: the client
   * runs the checkpoint hooks (as Lambda does before the snapshot), which must not fail; the
   * snapshot is taken unprimed with one log line, and a request after restore gets a clear 503.
   */
  @Test
  @Order(0)
  void step0AFreshStacksSnapStartVersionWithAnEmptyBucket() throws Exception {
    s3.createBucket("fresh");
    Path tmp = Files.createDirectories(dir.resolve("lambda-tmp-fresh"));
    Map<String, String> env = lambdaEnv("fresh", task(), tmp);
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
    Path log = dir.resolve("lambda-snapstart.log");
    try (LambdaRuntimeApi runtime = new LambdaRuntimeApi()) {
      Process lambda = startLambda(runtime, env, log);
      try {
        JsonNode answer = invoke(runtime, event("/api/search", "q=a%20dog", "req-fresh"));
        assertTrue(runtime.restored(), "the runtime went through checkpoint and restore");
        assertEquals(503, answer.get("statusCode").asInt(), answer.toString());
        String message =
            JSON.readTree(answer.get("body").asText()).get("error").get("message").asText();
        assertTrue(message.contains("no model '" + MODEL_NAME + "' in s3://fresh/"), message);
        String output = Files.readString(log);
        System.out.println(
            "rehearse: the SnapStart runtime on an empty bucket printed:\n" + output);
        assertTrue(
            output.contains("snapshot left unprimed: no model '" + MODEL_NAME + "' in s3://fresh/"),
            output);
      } finally {
        lambda.destroy();
        lambda.waitFor();
      }
    }
  }

  @Test
  @Order(1)
  void step1ModelPush() throws Exception {
    Run push =
        run(
            List.of(
                java(),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                JAR.toString(),
                "model",
                "push",
                "--from",
                TINY.toString(),
                "--to",
                "s3://" + BUCKET + "/models/" + MODEL_NAME + "/"),
            operatorEnv(),
            dir);
    System.out.println("rehearse: model push printed:\n" + push.output());
    assertEquals(0, push.exit(), push.output());
    assertTrue(
        push.output().contains("model " + MODEL_NAME + " in s3://" + BUCKET + "/models/"),
        push.output());
    assertTrue(push.output().contains("every sha256 checked"), push.output());
  }

  @Test
  @Order(2)
  void step2UploadImagesAndStep3Index() throws Exception {
    try (S3BlobStore store = s3.store(BUCKET, "");
        Stream<Path> files = Files.list(gallery)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jpg")).toList()) {
        store.write("images/" + file.getFileName(), file);
      }
    }
    Run index =
        run(
            List.of(
                java(),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                JAR.toString(),
                "index",
                "--images",
                "s3://" + BUCKET + "/images/",
                "--index",
                "s3://" + BUCKET + "/",
                "--model",
                TINY.toString(),
                "--work",
                dir.resolve("index-work").toString()),
            operatorEnv(),
            dir);
    System.out.println("rehearse: index printed:\n" + index.output());
    assertEquals(0, index.exit(), index.output());
    assertTrue(index.output().contains("published"), index.output());
  }

  @Test
  @Order(3)
  void step4TheEc2UnitServesASearchWithWorkingLinks() throws Exception {
    Path workdir = Files.createDirectories(dir.resolve("ec2"));
    Path state = Files.createDirectories(workdir.resolve("var-lib"));
    Path cache = Files.createDirectories(workdir.resolve("var-cache"));
    int port = freePort();
    Files.writeString(workdir.resolve(".env"), unitEnvironmentFile(port, cache));
    List<String> command =
        unitExecStart().stream()
            .map(
                arg ->
                    arg.replace("/usr/bin/java", java())
                        .replace("/opt/image-search/image-search.jar", JAR.toString())
                        .replace("/var/lib/image-search", state.toString()))
            .toList();
    // systemd sets CACHE_DIRECTORY for CacheDirectory=image-search; everything else comes from
    // the .env file.
    Map<String, String> env = Map.of("CACHE_DIRECTORY", cache.toString());
    Process server = start(command, env, workdir, workdir.resolve("server.log"));
    try {
      String base = "http://127.0.0.1:" + port;
      awaitReady(server, base, workdir.resolve("server.log"));
      System.out.println(
          "rehearse: the EC2 unit printed:\n" + Files.readString(workdir.resolve("server.log")));
      JsonNode result = getJson(base + "/api/search?q=three%20red%20circles&k=5");
      System.out.println(
          "rehearse: GET /api/search?q=three%20red%20circles&k=5 answered:\n"
              + result
                  .toPrettyString()
                  .lines()
                  .limit(30)
                  .collect(java.util.stream.Collectors.joining("\n")));
      assertLinksServeTheImages(result);
      // The model came from the bucket into the disk cache, text tower only.
      Path fetched = cache.resolve("models").resolve(MODEL_NAME);
      assertTrue(Files.isRegularFile(fetched.resolve("onnx/text_model_quantized.onnx")));
      assertTrue(Files.notExists(fetched.resolve("onnx/vision_model_quantized.onnx")));
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  @Order(4)
  void step5TheLambdaZipAnswersThroughTheRuntimeInterfaceClient() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("lambda-tmp"));
    Map<String, String> env = lambdaEnv(BUCKET, task(), tmp);

    try (LambdaRuntimeApi runtime = new LambdaRuntimeApi()) {
      Process lambda = startLambda(runtime, env, dir.resolve("lambda.log"));
      try {
        JsonNode page = invoke(runtime, event("/", "q=three%20red%20circles", "req-page"));
        assertEquals(200, page.get("statusCode").asInt(), page.toString());
        assertTrue(
            page.get("headers").get("content-type").asText().startsWith("text/html"),
            page.toString());
        assertTrue(page.get("body").asText().contains("three red circles"), page.toString());

        JsonNode search =
            invoke(runtime, event("/api/search", "q=three%20red%20circles&k=5", "req-api"));
        assertEquals(200, search.get("statusCode").asInt(), search.toString());
        assertLinksServeTheImages(JSON.readTree(search.get("body").asText()));

        JsonNode bad = invoke(runtime, event("/api/search", "q=&k=5", "req-bad"));
        assertEquals(400, bad.get("statusCode").asInt(), bad.toString());
        JsonNode error = JSON.readTree(bad.get("body").asText()).get("error");
        assertEquals(400, error.get("status").asInt(), bad.toString());
        assertEquals("req-bad", error.get("requestId").asText(), bad.toString());
      } finally {
        lambda.destroy();
        lambda.waitFor();
      }
    }
  }

  private static Path task;

  /** The Lambda zip unpacked as the runtime lays it out (/var/task), once. */
  private static synchronized Path task() throws IOException {
    if (task == null) {
      task = unzip(LAMBDA_ZIP, dir.resolve("var-task"));
    }
    return task;
  }

  /** The stack's function environment (infra-cdk ServiceEnvironment.forLambda), /tmp moved. */
  private static Map<String, String> lambdaEnv(String bucket, Path task, Path tmp) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BUCKET_NAME", bucket);
    env.put("IMAGE_SEARCH_STORE", "s3://" + bucket + "/");
    env.put("IMAGE_SEARCH_MODEL", "s3://" + bucket + "/models/" + MODEL_NAME + "/");
    env.put("IMAGE_SEARCH_URL_TTL", "PT15M");
    env.put("IMAGE_SEARCH_INDEX_POLL", "PT60S");
    env.put("DJL_CACHE_DIR", tmp.resolve("djl").toString());
    env.put("DJL_OFFLINE", "true");
    env.put("IMAGE_SEARCH_MODEL_CACHE", tmp.resolve("image-search-models").toString());
    env.put("JAVA_TOOL_OPTIONS", "--add-modules=jdk.incubator.vector");
    // What the Lambda service sets: the runtime's address, the task root, region, credentials.
    env.put("ENDPOINT_URL", s3.endpoint().toString());
    env.put("AWS_REGION", S3ProxyServer.REGION);
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL);
    env.put("LAMBDA_TASK_ROOT", task.toString());
    env.put("AWS_LAMBDA_FUNCTION_NAME", "image-search");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/image-search");
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "rehearsal");
    env.put("_HANDLER", "dev.imagesearch.web.SearchHandler::handleRequest");

    return env;
  }

  /** The runtime interface client on the unpacked zip, started in the task root as Lambda does. */
  private static Process startLambda(LambdaRuntimeApi runtime, Map<String, String> env, Path log)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
    // The managed Java runtime's launcher passes these (among options about its own class-data
    // archive and paths): org.crac then talks to the client's own CRaC context, which runs the
    // registered hooks around the snapshot.
    List<String> command =
        List.of(
            java(),
            "-XX:+UseSerialGC",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
            "-Djava.net.preferIPv4Stack=true",
            "-cp",
            runtimeInterfaceClientClasspath(),
            "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
            "dev.imagesearch.web.SearchHandler::handleRequest");
    // The client loads the handler from its working directory (user.dir), the task root.
    return start(command, all, Path.of(all.get("LAMBDA_TASK_ROOT")), log);
  }

  /** The first hits' presigned links answer with the very bytes uploaded to images/. */
  private static void assertLinksServeTheImages(JsonNode result) throws Exception {
    JsonNode hits = result.get("hits");
    assertEquals(5, hits.size(), result.toString());
    for (JsonNode hit : List.of(hits.get(0), hits.get(1))) {
      URI url = URI.create(hit.get("url").asText());
      assertTrue(url.getQuery().contains("X-Amz-Signature="), url.toString());
      HttpResponse<byte[]> image =
          HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, image.statusCode(), url.toString());
      assertArrayEquals(
          Files.readAllBytes(gallery.resolve(hit.get("key").asText())),
          image.body(),
          url.toString());
      HttpResponse<byte[]> thumb =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(hit.get("thumbnailUrl").asText())).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, thumb.statusCode());
      assertEquals((byte) 0xFF, thumb.body()[0], "a JPEG thumbnail");
    }
  }

  private static JsonNode invoke(LambdaRuntimeApi runtime, String event) throws Exception {
    LambdaRuntimeApi.Answer answer = runtime.invoke(event, STEP_TIMEOUT);
    assertEquals("response", answer.kind(), answer.body());
    return JSON.readTree(answer.body());
  }

  /** An API Gateway HTTP API payload 2.0 event for a GET, as the $default route sends it. */
  private static String event(String path, String query, String requestId) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", path);
    event.put("rawQueryString", query);
    ObjectNode headers = event.putObject("headers");
    headers.put("accept", "text/html,application/json");
    headers.put("host", "abc123.execute-api.us-east-1.amazonaws.com");
    headers.put("user-agent", "rehearsal");
    headers.put("x-forwarded-proto", "https");
    ObjectNode parameters = event.putObject("queryStringParameters");
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        parameters.put(
            pair.substring(0, eq),
            java.net.URLDecoder.decode(
                pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "123456789012");
    context.put("apiId", "abc123");
    context.put("domainName", "abc123.execute-api.us-east-1.amazonaws.com");
    context.put("domainPrefix", "abc123");
    context.put("requestId", requestId);
    context.put("routeKey", "$default");
    context.put("stage", "$default");
    context.put("time", "01/Dec/2026:12:00:00 +0000");
    context.put("timeEpoch", 1_796_126_400_000L);
    ObjectNode http = context.putObject("http");
    http.put("method", "GET");
    http.put("path", path);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "203.0.113.7");
    http.put("userAgent", "rehearsal");
    event.put("isBase64Encoded", false);
    return event.toString();
  }

  /** ec2/image-search.service's ExecStart, split into arguments. */
  private static List<String> unitExecStart() throws IOException {
    for (String line : Files.readAllLines(ROOT.resolve("ec2/image-search.service"))) {
      if (line.startsWith("ExecStart=")) {
        return new ArrayList<>(Arrays.asList(line.substring(10).trim().split("\\s+")));
      }
    }
    throw new AssertionError("ec2/image-search.service has no ExecStart");
  }

  /**
   * ec2/image-search.env.template filled in as install.sh does, with the endpoint, a free port and
   * loopback; the credentials an instance role would give are added as the seed's names.
   */
  private static String unitEnvironmentFile(int port, Path cache) throws IOException {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(ROOT.resolve("ec2/image-search.env.template"))) {
      String filled =
          line.replace("__BUCKET_NAME__", BUCKET)
              .replace("__AWS_REGION__", S3ProxyServer.REGION)
              .replace("/var/cache/image-search", cache.toString());
      if (filled.startsWith("#ENDPOINT_URL=")) {
        filled = "ENDPOINT_URL=" + s3.endpoint();
      } else if (filled.startsWith("PORT=")) {
        filled = "PORT=" + port;
      } else if (filled.startsWith("IMAGE_SEARCH_BIND=")) {
        filled = "IMAGE_SEARCH_BIND=127.0.0.1";
      }
      out.append(filled).append('\n');
    }
    out.append("AWS_ACCESS_KEY_ID=").append(S3ProxyServer.IDENTITY).append('\n');
    out.append("AWS_SECRET_ACCESS_KEY=").append(S3ProxyServer.CREDENTIAL).append('\n');
    return out.toString();
  }

  /** The runtime interface client and its libraries, from this test's classpath. */
  private static String runtimeInterfaceClientClasspath() {
    List<String> jars =
        Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(
                p ->
                    p.contains("aws-lambda-java-runtime-interface-client")
                        || p.contains("aws-lambda-java-serialization")
                        || p.contains("aws-lambda-java-core")
                        || p.contains("utils-lite"))
            .toList();
    assertTrue(
        jars.stream().anyMatch(p -> p.contains("runtime-interface-client")),
        "the runtime interface client is not on the test classpath: " + jars);
    return String.join(java.io.File.pathSeparator, jars);
  }

  private static void awaitReady(Process server, String base, Path log) throws Exception {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("the unit's process exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> ready =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
        last = ready.body();
      } catch (IOException notListeningYet) {
        last = notListeningYet.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not ready: " + last + "\n" + Files.readString(log));
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command, Map<String, String> env, Path workdir)
      throws Exception {
    Path log = Files.createTempFile(dir, "run", ".log");
    Process process = start(command, env, workdir, log);
    if (!process.waitFor(STEP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("did not finish: " + command + "\n" + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log));
  }

  /** A process with only PATH, a private HOME and {@code env}, as a service manager starts it. */
  private static Process start(
      List<String> command, Map<String, String> env, Path workdir, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    String path = environment.get("PATH");
    environment.clear();
    environment.put("PATH", path);
    environment.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    environment.putAll(env);
    return builder.start();
  }

  private static Path unzip(Path zip, Path target) throws IOException {
    Files.createDirectories(target);
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream entries = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
        Path file = target.resolve(entry.getName()).normalize();
        if (!file.startsWith(target)) {
          throw new IOException("zip entry leaves the task root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(file);
        } else {
          Files.createDirectories(file.getParent());
          Files.copy(entries, file);
        }
      }
    }
    return target;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
