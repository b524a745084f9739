package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.store.IndexLoader;
import dev.imagesearch.store.LoadedIndex;
import dev.imagesearch.store.S3BlobStore;
import dev.imagesearch.store.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indexing into (and from) a real S3-compatible server over HTTP with SigV4: S3Proxy. */
class IndexerS3Test {
  @TempDir Path tmp;
  private final Map<String, String> savedProperties = new HashMap<>();

  @BeforeEach
  void credentials() {
    // The SDK's default chain reads these system properties first.
    for (String name : List.of("aws.accessKeyId", "aws.secretAccessKey")) {
      savedProperties.put(name, System.getProperty(name));
    }
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
  }

  @AfterEach
  void restore() {
    savedProperties.forEach(
        (name, value) -> {
          if (value == null) {
            System.clearProperty(name);
          } else {
            System.setProperty(name, value);
          }
        });
  }

  @Test
  void indexesALocalFolderIntoABucketAndReadsItBack() throws Exception {
    Path images = IndexerTest.gallery(tmp.resolve("photos"));
    ModelDirectory model =
        ModelDirectory.open(TestModel.dir(), ModelDirectory.Precision.PREFER_QUANTIZED);
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"))) {
      s3.createBucket("photos");
      IndexCommand command = s3Command(s3, images.toString(), "s3://photos/demo");
      IndexSummary first = Runs.run(command, null);
      assertEquals(6, first.indexed());
      assertEquals(3, first.skipped());

      S3BlobStore store = s3.store("photos", "demo/");
      LoadedIndex index =
          new IndexLoader(store).loadCurrent(model.modelId(), model.projectionDim());
      assertEquals(6, index.size());
      assertEquals("d-rotated.jpg", index.records().get(3).key());
      assertEquals(20, index.records().get(3).width());
      assertEquals(6, store.list("thumbs/").size());
      assertEquals(
          List.of(
              "images/a-red.jpg",
              "images/b-green.png",
              "images/c-big.jpg",
              "images/d-rotated.jpg",
              "images/e-gray.png",
              "images/sub/f-nested.png"),
          store.list("images/"));
      assertTrue(
          new String(store.readIfExists(currentKey(store, "skipped.jsonl")).orElseThrow())
              .contains("\"key\":\"bad-empty.jpg\""));

      IndexSummary second = Runs.run(s3Command(s3, images.toString(), "s3://photos/demo"), null);
      assertEquals(0, second.embedded());
      assertTrue(second.unchanged());
    }
  }

  @Test
  void indexesOriginalsFromAnotherPrefix() throws Exception {
    Path images = IndexerTest.gallery(tmp.resolve("photos"));
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"))) {
      s3.createBucket("photos");
      S3BlobStore originals = s3.store("photos", "uploads/");
      try (Stream<Path> files = Files.walk(images)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          originals.write(images.relativize(file).toString().replace('\\', '/'), file);
        }
      }
      IndexSummary summary =
          Runs.run(s3Command(s3, "s3://photos/uploads", "s3://photos/library"), null);
      assertEquals(6, summary.indexed());
      assertEquals(3, summary.skipped());
      S3BlobStore library = s3.store("photos", "library/");
      assertEquals(6, library.list("images/").size(), "originals copied next to the index");
      assertEquals(6, library.list("thumbs/").size());
    }
  }

  private IndexCommand s3Command(S3ProxyServer s3, String images, String index) {
    Map<String, String> env = new HashMap<>(s3.env("photos"));
    env.remove("BUCKET_NAME");
    IndexCommand command = Runs.withEnv(Runs.command(images, index), env);
    command.work = tmp.resolve("work");
    return command;
  }

  private static String currentKey(S3BlobStore store, String file) {
    String version = new String(store.readIfExists("index/CURRENT").orElseThrow()).strip();
    return "index/" + version + "/" + file;
  }
}
