package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 store against a real S3-compatible server (S3Proxy, SigV4) over HTTP. */
class S3BlobStoreTest {
  @TempDir static Path dir;
  static S3ProxyServer server;
  static S3BlobStore store;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.start(dir.resolve("s3"));
    server.createBucket("photos");
    store = server.store("photos", "demo");
  }

  @AfterAll
  static void stopServer() {
    store.close();
    server.close();
  }

  private static HttpResponse<byte[]> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void putGetListTagDeleteRoundTrip() throws Exception {
    byte[] cat = "a cat".getBytes(StandardCharsets.UTF_8);
    store.write("images/cat.jpg", cat);
    store.write("images/b/dog.png", Files.write(dir.resolve("dog.png"), new byte[] {1, 2, 3}));

    assertArrayEquals(cat, store.readIfExists("images/cat.jpg").orElseThrow());
    try (InputStream in = store.open("images/b/dog.png")) {
      assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
    }
    assertEquals(List.of("images/b/dog.png", "images/cat.jpg"), store.list("images/"));
    // The prefix "demo/" is the store's business: keys come back without it.
    assertEquals(Optional.empty(), store.readIfExists("images/none.jpg"));
    assertEquals(Optional.empty(), store.tag("images/none.jpg"));
    StoreException missing =
        assertThrows(StoreException.class, () -> store.open("images/none.jpg"));
    assertEquals("no object s3://photos/demo/images/none.jpg (status 404)", missing.getMessage());
    assertEquals(StoreException.Kind.NOT_FOUND, missing.kind());

    String tag = store.tag("images/cat.jpg").orElseThrow();
    store.write("images/cat.jpg", "another cat".getBytes(StandardCharsets.UTF_8));
    assertNotEquals(tag, store.tag("images/cat.jpg").orElseThrow());

    store.delete("images/cat.jpg");
    store.delete("images/cat.jpg");
    assertEquals(List.of("images/b/dog.png"), store.list("images/"));
  }

  @Test
  void largeFilesGoUpInPartsAndComeBackEqual() throws Exception {
    byte[] big = new byte[(int) S3BlobStore.MULTIPART_THRESHOLD + 3_000_000];
    new SplittableRandom(7).nextBytes(big);
    Path file = Files.write(dir.resolve("big.npy"), big);

    store.write("index/v/embeddings.npy", file);

    try (InputStream in = store.open("index/v/embeddings.npy")) {
      assertArrayEquals(big, in.readAllBytes());
    }
    // A multipart ETag ends with "-<parts>": 16 MiB + 3 MB = 2 parts.
    assertTrue(store.tag("index/v/embeddings.npy").orElseThrow().endsWith("-2\""));
  }

  @Test
  void presignedUrlsServeTheBytesAndNothingElse() throws Exception {
    byte[] thumb = "thumbnail bytes".getBytes(StandardCharsets.UTF_8);
    store.write("thumbs/cat.jpg.jpg", thumb);
    URI url = store.signedUrl("thumbs/cat.jpg.jpg", Duration.ofMinutes(15));

    HttpResponse<byte[]> ok = get(url);
    assertEquals(200, ok.statusCode());
    assertArrayEquals(thumb, ok.body());

    String text = url.toString();
    int at = text.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length() + 3;
    char flipped = text.charAt(at) == 'a' ? 'b' : 'a';
    URI tampered = URI.create(text.substring(0, at) + flipped + text.substring(at + 1));
    assertEquals(403, get(tampered).statusCode());

    URI other = URI.create(text.replace("cat.jpg.jpg", "dog.jpg.jpg"));
    assertEquals(403, get(other).statusCode());
  }

  @Test
  void expiredPresignedUrlsAreRefused() throws Exception {
    store.write("thumbs/short.jpg", new byte[] {42});
    URI shortLived = store.signedUrl("thumbs/short.jpg", Duration.ofSeconds(1));
    URI longLived = store.signedUrl("thumbs/short.jpg", Duration.ofMinutes(5));

    Thread.sleep(2_200); // past the 1 s lifetime (S3 compares whole seconds)

    // Same object, same signer, same moment: only the lifetime differs. (Asserting a 200 on the
    // one-second link before it runs out failed on loaded machines.)
    assertEquals(403, get(shortLived).statusCode());
    assertEquals(200, get(longLived).statusCode());
  }

  @Test
  void presignTtlIsCappedAtSevenDays() {
    URI url = store.signedUrl("thumbs/any.jpg", Duration.ofDays(30));
    assertTrue(url.getQuery().contains("X-Amz-Expires=604800"), url.getQuery());
  }

  @Test
  void keysCannotEscapeThePrefix() {
    assertThrows(ImageSearchException.class, () -> store.write("../other/x", new byte[1]));
  }

  @Test
  void aModelDirectoryIsFetchedToLocalDiskAndAgainWhenItChanges() throws Exception {
    store.write("models/tiny/tokenizer.json", "{\"model\": {}}".getBytes(StandardCharsets.UTF_8));
    store.write("models/tiny/onnx/text_model.onnx", new byte[] {8, 1, 2});
    Path cache = dir.resolve("model-cache");

    Path model = ModelFetcher.fetch(store, "tiny", cache);

    assertEquals(cache.resolve("tiny"), model);
    assertArrayEquals(
        new byte[] {8, 1, 2}, Files.readAllBytes(model.resolve("onnx/text_model.onnx")));
    assertEquals("{\"model\": {}}", Files.readString(model.resolve("tokenizer.json")));
    // Unchanged in the store: the local copy is used as it is, nothing is downloaded again.
    Path text = model.resolve("onnx/text_model.onnx");
    Files.setLastModifiedTime(text, FileTime.fromMillis(0));
    assertEquals(model, ModelFetcher.fetch(store, "tiny", cache));
    assertEquals(FileTime.fromMillis(0), Files.getLastModifiedTime(text));
    // Replaced in the store (a retrained model, a file removed): fetched again, whole.
    store.write("models/tiny/onnx/text_model.onnx", new byte[] {9, 9});
    store.delete("models/tiny/tokenizer.json");
    assertEquals(model, ModelFetcher.fetch(store, "tiny", cache));
    assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(text));
    assertFalse(Files.exists(model.resolve("tokenizer.json")));
    try (var left = Files.list(cache)) {
      assertEquals(List.of(model), left.toList(), "no staging or old copies left behind");
    }
    // The store unreachable at a restart: the complete earlier copy still serves.
    try (var unreachable = server.store("no-such-bucket", "demo")) {
      assertEquals(model, ModelFetcher.fetch(unreachable, "tiny", cache));
    }
    assertEquals(
        "no model 'absent' in " + store.describe() + " (nothing below models/absent/)",
        assertThrows(ImageSearchException.class, () -> ModelFetcher.fetch(store, "absent", cache))
            .getMessage());
  }

  @Test
  void onlyTheFilesServingReadsAreFetched() throws Exception {
    for (String name :
        List.of(
            "config.json",
            "tokenizer.json",
            "preprocessor_config.json",
            "onnx/text_model.onnx",
            "onnx/text_model_quantized.onnx",
            "onnx/text_model_fp16.onnx",
            "onnx/vision_model.onnx",
            "onnx/vision_model_quantized.onnx",
            "onnx/model_quantized.onnx")) {
      store.write("models/full/" + name, name.getBytes(StandardCharsets.UTF_8));
    }

    Path model = ModelFetcher.fetch(store, "full", dir.resolve("serving-cache"));

    try (var files = Files.walk(model)) {
      assertEquals(
          List.of(
              ".fetched",
              "config.json",
              "onnx/text_model_quantized.onnx",
              "preprocessor_config.json",
              "tokenizer.json"),
          files
              .filter(Files::isRegularFile)
              .map(f -> model.relativize(f).toString())
              .sorted()
              .toList());
    }
  }
}
