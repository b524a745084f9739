package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code image-search model push} against S3Proxy: upload, read back, compare sha256. */
class ModelPushCommandTest {
  private static final Path TINY =
      Path.of(System.getProperty("project.root", "."))
          .resolve("function/src/test/resources/tiny-clip");
  @TempDir static Path dir;
  private static S3ProxyServer s3;

  @BeforeAll
  static void start() {
    s3 = S3ProxyServer.start(dir.resolve("s3"));
    s3.createBucket("models-bucket");
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  private record Outcome(int exit, String out, String err) {}

  private static Outcome push(Path from, String to) {
    ModelPushCommand command = new ModelPushCommand();
    command.from = from;
    command.to = to;
    Map<String, String> env = new HashMap<>(s3.env("models-bucket"));
    command.env = env;
    command.envFile = dir.resolve("no-such.env");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit = command.call();
    return new Outcome(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void pushesEveryFileChecksItAndTheServiceCanFetchIt() throws Exception {
    try (S3BlobStore store = s3.store("models-bucket", "")) {
      store.write("models/tiny/stale.txt", new byte[] {1}); // from an older push
    }

    Outcome pushed = push(TINY, "s3://models-bucket/models/tiny/");

    assertEquals(0, pushed.exit(), pushed.err());
    List<String> lines = pushed.out().lines().toList();
    String textTower = Sha256.hex(TINY.resolve("onnx/text_model_quantized.onnx"));
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith("pushed onnx/text_model_quantized.onnx (")
                        && l.endsWith("sha256 " + textTower + ", checked)")),
        pushed.out());
    assertTrue(lines.contains("removed stale.txt (not in " + TINY + ")"), pushed.out());
    assertTrue(
        lines.get(lines.size() - 1).startsWith("model tiny in s3://models-bucket/models/tiny/: "),
        pushed.out());
    assertTrue(lines.get(lines.size() - 1).endsWith(" every sha256 checked"), pushed.out());

    try (S3BlobStore store = s3.store("models-bucket", "")) {
      Path fetched = ModelFetcher.fetch(store, "tiny", dir.resolve("cache"));
      assertArrayEquals(
          Files.readAllBytes(TINY.resolve("tokenizer.json")),
          Files.readAllBytes(fetched.resolve("tokenizer.json")));
    }
  }

  @Test
  void wrongArgumentsGetOneLine() throws Exception {
    assertEquals(
        new Outcome(
            2,
            "",
            "error: --to must look like s3://bucket/models/NAME/ (where IMAGE_SEARCH_MODEL points),"
                + " got 's3://models-bucket/tiny/'\n"),
        push(TINY, "s3://models-bucket/tiny/"));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertEquals(
        new Outcome(
            2, "", "error: --from " + empty + " is not a model folder: it has no config.json\n"),
        push(empty, "s3://models-bucket/models/tiny/"));
  }

  private static void assertArrayEquals(byte[] expected, byte[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }
}
