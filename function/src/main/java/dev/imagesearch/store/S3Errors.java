package dev.imagesearch.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the AWS SDK's exceptions into {@link StoreException}s for {@link S3BlobStore}: a {@link
 * StoreException.Kind} from the exception's type, HTTP status and S3 error code, and a message
 * naming the bucket, key, status and the setting to fix ({@code BUCKET_NAME}, {@code ENDPOINT_URL},
 * {@code AWS_REGION}, credentials).
 *
 * <table>
 *   <caption>How failures are sorted</caption>
 *   <tr><th>SDK failure</th><th>kind</th></tr>
 *   <tr><td>{@code NoSuchBucket}, or 404 on the bucket itself</td><td>CONFIGURATION</td></tr>
 *   <tr><td>{@link NoSuchKeyException}, other 404</td><td>NOT_FOUND</td></tr>
 *   <tr><td>301, {@code PermanentRedirect}, {@code AuthorizationHeaderMalformed} (region)</td>
 *       <td>CONFIGURATION</td></tr>
 *   <tr><td>403, {@code InvalidAccessKeyId}; no credentials resolvable</td><td>ACCESS</td></tr>
 *   <tr><td>5xx, 429, throttling; no connection, timeouts, other client-side failures</td>
 *       <td>TRANSIENT</td></tr>
 *   <tr><td>any other status</td><td>CONFIGURATION</td></tr>
 * </table>
 */
final class S3Errors {
  private final String bucket;
  private final String region;
  private final Optional<URI> endpoint;

  S3Errors(String bucket, String region, Optional<URI> endpoint) {
    this.bucket = bucket;
    this.region = region;
    this.endpoint = endpoint;
  }

  /** The object is not there. */
  StoreException noObject(String fullKey, SdkException e) {
    return new StoreException(
        StoreException.Kind.NOT_FOUND,
        "no object s3://" + bucket + "/" + fullKey + " (status 404)",
        e);
  }

  /**
   * @param action what was being done ("read", "write", "check", ...), for the message
   * @param fullKey the key with the store's prefix; empty for the bucket itself
   * @param credentials the store's provider, asked again to tell missing credentials apart
   */
  StoreException translate(
      String action, String fullKey, SdkException e, AwsCredentialsProvider credentials) {
    String where = "s3://" + bucket + "/" + fullKey;
    if (e instanceof S3Exception s3e) {
      return fromStatus(action, where, fullKey.isEmpty(), s3e);
    }
    if (e instanceof SdkClientException && !resolvable(credentials)) {
      return new StoreException(
          StoreException.Kind.ACCESS,
          "no AWS credentials found for "
              + where
              + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run"
              + " with an instance or task role",
          e);
    }
    if (causedByConnection(e)) {
      return new StoreException(
          StoreException.Kind.TRANSIENT,
          "cannot connect to "
              + server()
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
    return new StoreException(
        StoreException.Kind.TRANSIENT,
        "S3 " + action + " of " + where + " failed: " + firstLine(e),
        e);
  }

  private StoreException fromStatus(
      String action, String where, boolean bucketItself, S3Exception e) {
    int status = e.statusCode();
    String code =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
            ? ""
            : e.awsErrorDetails().errorCode();
    String detail = " (status " + status + (code.isEmpty() ? "" : ", " + code) + ")";
    if (e instanceof NoSuchBucketException
        || code.equals("NoSuchBucket")
        || (status == 404 && bucketItself)) {
      return new StoreException(
          StoreException.Kind.CONFIGURATION,
          "bucket '"
              + bucket
              + "' does not exist at "
              + server()
              + " (status 404)"
              + ": check BUCKET_NAME (or IMAGE_SEARCH_STORE)",
          e);
    }
    if (e instanceof NoSuchKeyException || status == 404) {
      return new StoreException(StoreException.Kind.NOT_FOUND, "no object " + where + detail, e);
    }
    if (status == 301
        || code.equals("PermanentRedirect")
        || code.equals("AuthorizationHeaderMalformed")) {
      return new StoreException(
          StoreException.Kind.CONFIGURATION,
          "bucket '" + bucket + "' is not in region " + region + detail + ": check AWS_REGION",
          e);
    }
    if (status == 403 || code.equals("InvalidAccessKeyId")) {
      return new StoreException(
          StoreException.Kind.ACCESS,
          "access denied to "
              + where
              + " by "
              + server()
              + detail
              + ": check the AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,"
              + " AWS_PROFILE or the instance role) and the bucket policy",
          e);
    }
    StoreException.Kind kind =
        status >= 500 || status == 429 || e.isThrottlingException()
            ? StoreException.Kind.TRANSIENT
            : StoreException.Kind.CONFIGURATION;
    return new StoreException(
        kind, "S3 " + action + " of " + where + " failed" + detail + ": " + firstLine(e), e);
  }

  private String server() {
    return endpoint.map(u -> "the S3 endpoint " + u).orElse("S3 in " + region);
  }

  /** Whether the provider finds credentials now (a client failure without them is about them). */
  private static boolean resolvable(AwsCredentialsProvider credentials) {
    try {
      credentials.resolveCredentials();
      return true;
    } catch (SdkException e) {
      return false;
    }
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

  /** Turns SDK failures while streaming an object into IOExceptions naming the object. */
  static final class TranslatingStream extends FilterInputStream {
    /** What an SDK failure while reading becomes. */
    @FunctionalInterface
    interface Translation {
      StoreException of(SdkException e);
    }

    private final Translation translation;

    TranslatingStream(InputStream in, Translation translation) {
      super(in);
      this.translation = translation;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (SdkException e) {
        throw failure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (SdkException e) {
        throw failure(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } catch (SdkException e) {
        throw failure(e);
      }
    }

    private IOException failure(SdkException e) {
      return new IOException(translation.of(e).getMessage(), e);
    }
  }
}
