package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.store.LogCapture;
import dev.imagesearch.store.S3BlobStore;
import dev.imagesearch.store.S3ProxyServer;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.Lazy;
import dev.imagesearch.web.SnapStartPriming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh stack's first Lambda version: the bucket was created empty in the same deployment, so
 * SnapStart's checkpoint runs with no model and no index. The hooks are run by hand, as the runtime
 * runs them, against S3Proxy: the checkpoint must complete (a throwing hook fails the deployment)
 * with one log line, and the restore must load nothing.
 */
class SnapStartEmptyBucketTest {
  private static final String MODEL_NAME = "clip-vit-base-patch32";
  @TempDir static Path dir;
  private static S3ProxyServer s3;

  @BeforeAll
  static void start() {
    s3 = S3ProxyServer.start(dir.resolve("s3"));
    // The service finds credentials through the SDK's default chain, as on Lambda.
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  private static Map<String, String> env(String bucket) {
    Map<String, String> env = new HashMap<>(s3.env(bucket));
    env.put("IMAGE_SEARCH_STORE", "s3://" + bucket + "/");
    env.put("IMAGE_SEARCH_MODEL", "s3://" + bucket + "/models/" + MODEL_NAME + "/");
    env.put("IMAGE_SEARCH_MODEL_CACHE", dir.resolve("cache-" + bucket).toString());
    env.put("IMAGE_SEARCH_INDEX_POLL", "0");
    return env;
  }

  @Test
  void emptyBucketLeavesAnUnprimedSnapshotAndRestoreLoadsNothing() {
    s3.createBucket("fresh");
    Lazy<Bootstrap.Wired> wired = new Lazy<>(() -> Bootstrap.webApp(env("fresh")));
    SnapStartPriming priming = new SnapStartPriming(wired, 3);

    try (LogCapture log = new LogCapture(SnapStartPriming.class)) {
      priming.beforeCheckpoint(null);
      assertEquals(
          List.of(
              "snapshot left unprimed: no model '"
                  + MODEL_NAME
                  + "' in s3://fresh/ at "
                  + s3.endpoint()
                  + " (nothing below models/"
                  + MODEL_NAME
                  + "/)"),
          log.all().stream().map(l -> l.replaceFirst("^(WARNING|INFO) ", "")).toList());
      assertEquals(1, log.warnings().size());
    }
    assertFalse(wired.isCreated(), "nothing was built into the snapshot");

    priming.afterRestore(null);
    assertFalse(wired.isCreated(), "restore builds nothing: the first request does");
  }

  @Test
  void modelWithoutIndexLeavesAnUnprimedSnapshotAndRestoreRenewsTheStore() throws Exception {
    s3.createBucket("noindex");
    try (S3BlobStore store = s3.store("noindex", "")) {
      Path tiny = DemoCollection.TINY_MODEL;
      try (Stream<Path> files = Files.walk(tiny)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          store.write(
              "models/" + MODEL_NAME + "/" + tiny.relativize(file).toString().replace('\\', '/'),
              file);
        }
      }
    }
    Lazy<Bootstrap.Wired> wired = new Lazy<>(() -> Bootstrap.webApp(env("noindex")));
    SnapStartPriming priming = new SnapStartPriming(wired, 3);
    try (LogCapture log = new LogCapture(SnapStartPriming.class)) {
      priming.beforeCheckpoint(null);
      assertEquals(1, log.all().size(), String.valueOf(log.all()));
      assertTrue(
          log.warnings().get(0).startsWith("snapshot left unprimed: no index yet: s3://noindex/"),
          log.warnings().get(0));
    }
    Bootstrap.Wired app = wired.get();
    try {
      assertFalse(app.service().modelLoaded(), "no ONNX session in an unprimed snapshot");

      priming.afterRestore(null);
      // The renewed S3 clients work: the watcher's first poll after restore reaches the bucket.
      app.watcher().poll();
      assertTrue(
          app.watcher().status().lastError().startsWith("no index yet: s3://noindex/"),
          app.watcher().status().lastError());
      assertEquals(
          List.of("models/" + MODEL_NAME + "/config.json"),
          app.store().list("models/" + MODEL_NAME + "/config"));
    } finally {
      app.watcher().close();
    }
  }
}
