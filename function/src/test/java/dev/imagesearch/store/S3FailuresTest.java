package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagesearch.ImageSearchException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Wrong bucket, wrong endpoint, missing or wrong credentials: each message names the setting to
 * fix, the watcher is not ready, and it recovers by itself once S3 answers.
 */
class S3FailuresTest {
  private static final String MODEL = "test-model";
  @TempDir Path dir;

  private static String publishTo(BlobStore store, Path staging) {
    return new IndexPublisher(
            store, 3, Clock.fixed(Instant.parse("2026-11-30T03:00:00Z"), ZoneOffset.UTC))
        .publish(staging);
  }

  private Path staging() {
    return StagedIndex.write(dir.resolve("staging"), MODEL, 20, 4, Npy.DType.FLOAT16, 1);
  }

  @Test
  void aMissingBucketNamesBucketNameAndRecoversOnceItExists() {
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"));
        S3BlobStore store = server.store("missing-bucket", "");
        LogCapture log = new LogCapture(IndexWatcher.class)) {
      String expected =
          "bucket 'missing-bucket' does not exist at the S3 endpoint "
              + server.endpoint()
              + " (status 404): check BUCKET_NAME (or IMAGE_SEARCH_STORE)";
      StoreException check =
          assertThrows(StoreException.class, () -> store.tag(IndexFiles.CURRENT));
      assertEquals(expected, check.getMessage());
      assertEquals(StoreException.Kind.CONFIGURATION, check.kind());
      assertEquals(
          expected,
          assertThrows(ImageSearchException.class, () -> store.write("x", new byte[1]))
              .getMessage());

      IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ZERO);
      watcher.poll();
      watcher.poll();
      assertEquals(false, watcher.status().ready());
      assertEquals(expected + "; no index is served", watcher.status().lastError());
      assertEquals(List.of(expected + "; no index is served"), log.warnings());

      server.createBucket("missing-bucket");
      String version = publishTo(store, staging());
      watcher.poll();
      assertEquals(true, watcher.status().ready());
      assertEquals(version, watcher.status().liveVersion());
    }
  }

  @Test
  void aClosedEndpointNamesEndpointUrlAndRecoversWhenTheServerStarts() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    try (S3BlobStore store =
        S3BlobStore.create(
            StoreLocation.s3("photos", "", "test"),
            Optional.of(endpoint),
            S3ProxyServer.REGION,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)))) {
      String expected =
          "cannot connect to the S3 endpoint "
              + endpoint
              + " to check s3://photos/index/CURRENT: check ENDPOINT_URL and that the server runs";
      StoreException check =
          assertThrows(StoreException.class, () -> store.tag(IndexFiles.CURRENT));
      assertEquals(expected, check.getMessage());
      assertEquals(StoreException.Kind.TRANSIENT, check.kind());
      IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ZERO);
      watcher.poll();
      assertEquals(false, watcher.status().ready());
      assertEquals(expected + "; no index is served", watcher.status().lastError());

      try (S3ProxyServer server =
          S3ProxyServer.start(
              dir.resolve("s3"), port, S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)) {
        server.createBucket("photos");
        String version = publishTo(store, staging());
        watcher.poll();
        assertEquals(version, watcher.status().liveVersion());
        assertEquals(null, watcher.status().lastError());
      }
    }
  }

  @Test
  void wrongCredentialsAreAccessDenied() {
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"))) {
      server.createBucket("photos");
      try (S3BlobStore store =
          S3BlobStore.create(
              StoreLocation.s3("photos", "", "test"),
              Optional.of(server.endpoint()),
              S3ProxyServer.REGION,
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create(S3ProxyServer.IDENTITY, "wrong-secret")))) {
        StoreException denied =
            assertThrows(StoreException.class, () -> store.readIfExists("index/CURRENT"));
        assertEquals(StoreException.Kind.ACCESS, denied.kind());
        String message = denied.getMessage();
        assertEquals(
            "access denied to s3://photos/index/CURRENT by the S3 endpoint "
                + server.endpoint()
                + " (status 403, SignatureDoesNotMatch): check the AWS credentials"
                + " (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the instance role)"
                + " and the bucket policy",
            message);
      }
    }
  }

  /**
   * Through the factory and the SDK's real default chain: nothing in the environment, no profile
   * file, instance metadata off. The chain is walked again on each call, so credentials that appear
   * later (here as system properties, the chain's first source) are picked up.
   */
  @Test
  void missingCredentialsAreNamedAndPickedUpOnceTheyAppear() {
    assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_PROFILE") == null
            && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
            && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null,
        "AWS credentials are set in this environment: the missing-credentials case cannot run");
    Map<String, String> saved = new HashMap<>();
    for (String name :
        List.of(
            "aws.accessKeyId",
            "aws.secretAccessKey",
            "aws.disableEc2Metadata",
            "aws.sharedCredentialsFile",
            "aws.configFile")) {
      saved.put(name, System.getProperty(name));
      System.clearProperty(name);
    }
    System.setProperty("aws.disableEc2Metadata", "true");
    System.setProperty("aws.sharedCredentialsFile", dir.resolve("no-credentials").toString());
    System.setProperty("aws.configFile", dir.resolve("no-config").toString());
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"))) {
      server.createBucket("photos");
      Map<String, String> env = new HashMap<>(server.env("photos"));
      env.remove("AWS_ACCESS_KEY_ID");
      env.remove("AWS_SECRET_ACCESS_KEY");
      BlobStore store = BlobStores.create(StoreConfig.fromEnv(env));
      assertEquals(
          StoreException.Kind.ACCESS,
          assertThrows(StoreException.class, () -> store.tag(IndexFiles.CURRENT)).kind());
      IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, 4, Duration.ZERO);
      watcher.poll();
      assertEquals(false, watcher.status().ready());
      assertEquals(
          "no AWS credentials found for s3://photos/index/CURRENT: set AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an instance or task role;"
              + " no index is served",
          watcher.status().lastError());

      System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
      System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
      String version = publishTo(store, staging());
      watcher.poll();
      assertEquals(version, watcher.status().liveVersion());
      ((S3BlobStore) store).close();
    } finally {
      saved.forEach(
          (name, value) -> {
            if (value == null) {
              System.clearProperty(name);
            } else {
              System.setProperty(name, value);
            }
          });
    }
  }
}
