package dev.imagesearch.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Test fixture: a real S3-compatible server (S3Proxy 2.9.0) in this JVM on a localhost port, with
 * the filesystem backend under a folder and SigV4 authentication on, so tests reach it over real
 * HTTP with signed requests exactly as they would reach S3.
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start(tempDir)) {
 *   s3.createBucket("photos");
 *   S3BlobStore store = s3.store("photos", "demo/");
 *   Map<String, String> env = s3.env("photos"); // ENDPOINT_URL, BUCKET_NAME, AWS_REGION, keys
 * }
 * }</pre>
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String IDENTITY = "test-access-key";
  public static final String CREDENTIAL = "test-secret-key-0123456789";
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;
  private final String identity;
  private final String credential;

  private S3ProxyServer(
      S3Proxy proxy, BlobStoreContext context, URI endpoint, String identity, String credential) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
    this.identity = identity;
    this.credential = credential;
  }

  /** Starts on a free port with the test credentials, storing buckets below {@code dir}. */
  public static S3ProxyServer start(Path dir) {
    return start(dir, 0, IDENTITY, CREDENTIAL);
  }

  /** Starts on {@code port} (0 = any free port) with the given access key and secret. */
  public static S3ProxyServer start(Path dir, int port, String identity, String credential) {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, credential)
            .build();
    try {
      proxy.start();
      while (!"STARTED".equals(proxy.getState())) {
        Thread.sleep(5);
      }
    } catch (Exception e) {
      context.close();
      throw new IllegalStateException("S3Proxy did not start on port " + port, e);
    }
    return new S3ProxyServer(
        proxy, context, URI.create("http://127.0.0.1:" + proxy.getPort()), identity, credential);
  }

  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return proxy.getPort();
  }

  public void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  public AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, credential));
  }

  /** An S3 store on this server (the bucket must exist for most calls). */
  public S3BlobStore store(String bucket, String prefix) {
    return S3BlobStore.create(
        StoreLocation.s3(bucket, prefix, "test"), Optional.of(endpoint), REGION, credentials());
  }

  /** The environment a process needs to use this server as its store. */
  public Map<String, String> env(String bucket) {
    return Map.of(
        "ENDPOINT_URL", endpoint.toString(),
        "BUCKET_NAME", bucket,
        "AWS_REGION", REGION,
        "AWS_ACCESS_KEY_ID", identity,
        "AWS_SECRET_ACCESS_KEY", credential);
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    } finally {
      context.close();
    }
  }
}
