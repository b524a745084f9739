package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link BlobStore} in an S3 bucket (below a key prefix), on AWS SDK v2 with the light
 * URL-connection HTTP client. The only class that catches the SDK's exceptions: each becomes an
 * {@link ImageSearchException} naming the bucket, key, status and the setting to fix ({@code
 * BUCKET_NAME}, {@code ENDPOINT_URL}, {@code AWS_REGION}, credentials).
 *
 * <p>Credentials come from the SDK's default chain (environment, profile, container or instance
 * role; under SnapStart the container endpoint), never from a pinned provider. With an endpoint
 * override (S3-compatible servers) requests use path-style addressing, and flexible checksums are
 * only sent when an operation requires them, which S3-compatible servers such as S3Proxy need.
 *
 * <pre>{@code
 * try (S3BlobStore store = S3BlobStore.create(new StoreLocation.S3("photos", "demo/"),
 *     Optional.empty(), "eu-west-1", DefaultCredentialsProvider.builder().build())) {
 *   URI link = store.signedUrl("images/cat.jpg", Duration.ofMinutes(15));
 * }
 * }</pre>
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
  /** Files above this size are uploaded in parts of {@link #PART_SIZE}. */
  static final long MULTIPART_THRESHOLD = 16L << 20;

  static final long PART_SIZE = 16L << 20;

  /** The SDK objects that hold connections and cached credentials; replaced by reconnect(). */
  private record Clients(
      S3Client s3, S3Presigner presigner, AwsCredentialsProvider credentials, boolean ownsChain) {
    void close() {
      presigner.close();
      s3.close();
      if (ownsChain && credentials instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // A provider that cannot close holds nothing we need.
        }
      }
    }
  }

  private final Supplier<Clients> connect;
  private volatile Clients clients;
  private final String bucket;
  private final String prefix;
  private final Optional<URI> endpoint;
  private final String region;

  private S3BlobStore(
      Supplier<Clients> connect, StoreLocation.S3 location, Optional<URI> endpoint, String region) {
    this.connect = connect;
    this.clients = connect.get();
    this.bucket = location.bucket();
    this.prefix = location.prefix();
    this.endpoint = endpoint;
    this.region = region;
  }

  /** A store using the SDK's default credentials chain. */
  public static S3BlobStore create(
      StoreLocation.S3 location, Optional<URI> endpoint, String region) {
    return new S3BlobStore(
        () -> clients(endpoint, region, DefaultCredentialsProvider.builder().build(), true),
        location,
        endpoint,
        region);
  }

  /**
   * A store with the given credentials provider (production passes the default chain; tests may
   * pass static credentials of their S3-compatible server).
   */
  public static S3BlobStore create(
      StoreLocation.S3 location,
      Optional<URI> endpoint,
      String region,
      AwsCredentialsProvider credentials) {
    return new S3BlobStore(
        () -> clients(endpoint, region, credentials, false), location, endpoint, region);
  }

  private static Clients clients(
      Optional<URI> endpoint,
      String region,
      AwsCredentialsProvider credentials,
      boolean ownsChain) {
    SdkHttpClient http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(Duration.ofSeconds(30))
            .build();
    boolean pathStyle = endpoint.isPresent();
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(http)
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .forcePathStyle(pathStyle);
    endpoint.ifPresent(builder::endpointOverride);
    S3Presigner.Builder presignerBuilder =
        S3Presigner.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
    endpoint.ifPresent(presignerBuilder::endpointOverride);
    return new Clients(builder.build(), presignerBuilder.build(), credentials, ownsChain);
  }

  @Override
  public InputStream open(String key) {
    String full = fullKey(key);
    try {
      return new TranslatingStream(clients.s3().getObject(r -> r.bucket(bucket).key(full)), full);
    } catch (NoSuchKeyException e) {
      throw new ImageSearchException("no object s3://" + bucket + "/" + full + " (status 404)");
    } catch (SdkException e) {
      throw translate("read", full, e);
    }
  }

  @Override
  public Optional<byte[]> readIfExists(String key) {
    String full = fullKey(key);
    try {
      return Optional.of(
          clients.s3().getObjectAsBytes(r -> r.bucket(bucket).key(full)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw translate("read", full, e);
    }
  }

  @Override
  public void write(String key, byte[] bytes) {
    String full = fullKey(key);
    try {
      clients.s3().putObject(r -> r.bucket(bucket).key(full), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw translate("write", full, e);
    }
  }

  @Override
  public void write(String key, Path file) {
    String full = fullKey(key);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      if (size <= MULTIPART_THRESHOLD) {
        clients.s3().putObject(r -> r.bucket(bucket).key(full), RequestBody.fromFile(file));
      } else {
        uploadInParts(full, file, size);
      }
    } catch (SdkException e) {
      throw translate("write", full, e);
    }
  }

  private void uploadInParts(String full, Path file, long size) {
    String uploadId =
        clients.s3().createMultipartUpload(r -> r.bucket(bucket).key(full)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += PART_SIZE, number++) {
        long length = Math.min(PART_SIZE, size - offset);
        long start = offset;
        int partNumber = number;
        String etag =
            clients
                .s3()
                .uploadPart(
                    r ->
                        r.bucket(bucket)
                            .key(full)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .contentLength(length),
                    RequestBody.fromContentProvider(
                        () -> slice(file, start, length), length, "application/octet-stream"))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      clients
          .s3()
          .completeMultipartUpload(
              r ->
                  r.bucket(bucket)
                      .key(full)
                      .uploadId(uploadId)
                      .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException | UncheckedIOException e) {
      try {
        clients.s3().abortMultipartUpload(r -> r.bucket(bucket).key(full).uploadId(uploadId));
      } catch (SdkException ignored) {
        // The original failure is the one to report; the bucket's lifecycle rule cleans up.
      }
      throw e;
    }
  }

  @Override
  public Optional<String> tag(String key) {
    String full = fullKey(key);
    try {
      return Optional.of(clients.s3().headObject(r -> r.bucket(bucket).key(full)).eTag());
    } catch (SdkException e) {
      if (e instanceof S3Exception s3e && s3e.statusCode() == 404) {
        // HEAD answers 404 without a body for a missing key and a missing bucket alike.
        checkBucketExists();
        return Optional.empty();
      }
      throw translate("check", full, e);
    }
  }

  private void checkBucketExists() {
    try {
      clients.s3().headBucket(r -> r.bucket(bucket));
    } catch (SdkException e) {
      throw translate("check", "", e);
    }
  }

  @Override
  public List<String> list(String listPrefix) {
    Keys.checkPrefix(listPrefix);
    String full = prefix + listPrefix;
    try {
      List<String> keys = new ArrayList<>();
      for (S3Object object :
          clients.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(full)).contents()) {
        // Keys ending in '/' are folder markers (S3 console, filesystem backends), not objects.
        if (!object.key().endsWith("/")) {
          keys.add(object.key().substring(prefix.length()));
        }
      }
      keys.sort(null);
      return keys;
    } catch (SdkException e) {
      throw translate("list", full, e);
    }
  }

  @Override
  public void delete(String key) {
    String full = fullKey(key);
    try {
      clients.s3().deleteObject(r -> r.bucket(bucket).key(full));
    } catch (SdkException e) {
      throw translate("delete", full, e);
    }
  }

  /**
   * A presigned GET. The TTL is capped at 7 days (SigV4's limit) and at the expiry of temporary
   * credentials (a role's session), after which S3 refuses the link anyway.
   */
  @Override
  public URI signedUrl(String key, Duration ttl) {
    String full = fullKey(key);
    try {
      Duration capped = ttl.compareTo(StoreConfig.MAX_URL_TTL) > 0 ? StoreConfig.MAX_URL_TTL : ttl;
      AwsCredentials current = clients.credentials().resolveCredentials();
      Optional<Instant> expiry = current.expirationTime();
      if (expiry.isPresent()) {
        Duration left = Duration.between(Instant.now(), expiry.get());
        if (left.compareTo(capped) < 0) {
          capped = left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
        }
      }
      Duration signatureDuration = capped;
      return clients
          .presigner()
          .presignGetObject(
              p ->
                  p.signatureDuration(signatureDuration)
                      .getObjectRequest(r -> r.bucket(bucket).key(full)))
          .url()
          .toURI();
    } catch (SdkException e) {
      throw translate("presign", full, e);
    } catch (URISyntaxException e) {
      throw new ImageSearchException("presigned URL for s3://" + bucket + "/" + full + ": " + e);
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix + endpoint.map(e -> " at " + e).orElse("");
  }

  @Override
  public void close() {
    clients.close();
  }

  /**
   * Closes the SDK clients and builds new ones, with a new credentials provider where the store
   * uses the default chain. After a SnapStart restore the snapshot's sockets lead nowhere and its
   * cached credentials belong to another execution environment; the next request connects anew.
   * (The URL-connection HTTP client keeps idle sockets in the JDK's keep-alive cache, which drops
   * them after a few seconds idle and retries an idempotent request once on a stale one.)
   */
  @Override
  public void reconnect() {
    Clients old = clients;
    clients = connect.get();
    old.close();
  }

  private String fullKey(String key) {
    return prefix + Keys.check(key);
  }

  private ImageSearchException translate(String action, String fullKey, SdkException e) {
    String where = "s3://" + bucket + "/" + fullKey;
    String server = endpoint.map(u -> "the S3 endpoint " + u).orElse("S3 in " + region);
    if (e instanceof S3Exception s3e) {
      int status = s3e.statusCode();
      String code =
          s3e.awsErrorDetails() == null || s3e.awsErrorDetails().errorCode() == null
              ? ""
              : s3e.awsErrorDetails().errorCode();
      String detail = " (status " + status + (code.isEmpty() ? "" : ", " + code) + ")";
      if (code.equals("NoSuchBucket") || (status == 404 && fullKey.isEmpty())) {
        return new ImageSearchException(
            "bucket '"
                + bucket
                + "' does not exist at "
                + server
                + " (status 404)"
                + ": check BUCKET_NAME (or IMAGE_SEARCH_STORE)",
            e);
      }
      if (status == 301
          || code.equals("PermanentRedirect")
          || code.equals("AuthorizationHeaderMalformed")) {
        return new ImageSearchException(
            "bucket '" + bucket + "' is not in region " + region + detail + ": check AWS_REGION",
            e);
      }
      if (status == 403 || code.equals("InvalidAccessKeyId")) {
        return new ImageSearchException(
            "access denied to "
                + where
                + " by "
                + server
                + detail
                + ": check the AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,"
                + " AWS_PROFILE or the instance role) and the bucket policy",
            e);
      }
      return new ImageSearchException(
          "S3 " + action + " of " + where + " failed" + detail + ": " + firstLine(s3e), e);
    }
    if (e instanceof SdkClientException && mentionsCredentials(e)) {
      return new ImageSearchException(
          "no AWS credentials found for "
              + where
              + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run"
              + " with an instance or task role",
          e);
    }
    if (causedByConnection(e)) {
      return new ImageSearchException(
          "cannot connect to "
              + server
              + " to "
              + action
              + " "
              + where
              + ": "
              + (endpoint.isPresent()
                  ? "check ENDPOINT_URL and that the server runs"
                  : "check AWS_REGION and the network"),
          e);
    }
    return new ImageSearchException(
        "S3 " + action + " of " + where + " failed: " + firstLine(e), e);
  }

  private static boolean mentionsCredentials(Throwable e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("Unable to load credentials")
        || message.contains("credentials provider")
        || message.contains("Failed to load credentials");
  }

  private static boolean causedByConnection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static InputStream slice(Path file, long offset, long length) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      return new BoundedStream(in, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Reads at most {@code remaining} bytes of the wrapped stream. */
  private static final class BoundedStream extends FilterInputStream {
    private long remaining;

    BoundedStream(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** Turns SDK failures while streaming an object into IOExceptions naming the object. */
  private final class TranslatingStream extends FilterInputStream {
    private final String fullKey;

    TranslatingStream(InputStream in, String fullKey) {
      super(in);
      this.fullKey = fullKey;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (SdkException e) {
        throw new IOException(translate("read", fullKey, e).getMessage(), e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (SdkException e) {
        throw new IOException(translate("read", fullKey, e).getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } catch (SdkException e) {
        throw new IOException(translate("read", fullKey, e).getMessage(), e);
      }
    }
  }
}
