package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
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
 * URL-connection HTTP client. The only class that catches the SDK's exceptions: {@link S3Errors}
 * turns each into a {@link StoreException} with its kind (transient, not found, access,
 * configuration) and a message naming the bucket, key, status and the setting to fix.
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
  private final S3Errors errors;

  private S3BlobStore(
      Supplier<Clients> connect, StoreLocation.S3 location, Optional<URI> endpoint, String region) {
    this.connect = connect;
    this.clients = connect.get();
    this.bucket = location.bucket();
    this.prefix = location.prefix();
    this.endpoint = endpoint;
    this.region = region;
    this.errors = new S3Errors(bucket, region, endpoint);
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
      return new S3Errors.TranslatingStream(
          clients.s3().getObject(r -> r.bucket(bucket).key(full)), e -> translate("read", full, e));
    } catch (NoSuchKeyException e) {
      throw errors.noObject(full, e);
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
                        () -> FileSlice.open(file, start, length),
                        length,
                        "application/octet-stream"))
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

  private StoreException translate(String action, String fullKey, SdkException e) {
    return errors.translate(action, fullKey, e, clients.credentials());
  }
}
