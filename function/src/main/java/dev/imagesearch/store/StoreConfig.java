package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The store's settings, read once from the environment; a wrong value fails fast naming the
 * variable.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><td>{@code IMAGE_SEARCH_STORE}</td><td>{@code s3://bucket/prefix} or a folder (default:
 *       {@code s3://$BUCKET_NAME} when {@code BUCKET_NAME} is set, else {@code work-data/demo})</td>
 *   <tr><td>{@code BUCKET_NAME}</td><td>the seed's bucket variable</td>
 *   <tr><td>{@code ENDPOINT_URL}</td><td>S3-compatible endpoint (path-style access), optional</td>
 *   <tr><td>{@code AWS_REGION}</td><td>region ({@code AWS_DEFAULT_REGION} also read; {@code
 *       us-east-1} when only an endpoint is given)</td>
 *   <tr><td>{@code IMAGE_SEARCH_URL_TTL}</td><td>link lifetime: seconds or ISO-8601 ({@code PT15M},
 *       the default); capped at 7 days</td>
 *   <tr><td>{@code IMAGE_SEARCH_URL_KEY}</td><td>HMAC key (&ge; 32 characters) for local links;
 *       random per process when unset, so links die on restart</td>
 *   <tr><td>{@code IMAGE_SEARCH_FILES_PATH}</td><td>path of the local file route (default {@code
 *       /files}; e.g. {@code /prod/files} behind an API Gateway stage)</td>
 *   <tr><td>{@code IMAGE_SEARCH_INDEX_POLL}</td><td>how often {@code index/CURRENT} is checked
 *       (default {@code PT30S}; 0 turns polling off)</td>
 *   <tr><td>{@code IMAGE_SEARCH_KEEP_VERSIONS}</td><td>index versions kept when publishing (default
 *       3)</td>
 * </table>
 *
 * <p>AWS credentials are never read here: the SDK's default chain finds them.
 */
public record StoreConfig(
    StoreLocation location,
    Optional<URI> endpoint,
    Optional<String> region,
    Duration urlTtl,
    Optional<String> urlKey,
    String filesPath,
    Duration indexPoll,
    int keepVersions) {

  public static final Duration MAX_URL_TTL = Duration.ofDays(7);
  public static final String DEFAULT_LOCAL_ROOT = "work-data/demo";

  public StoreConfig {
    if (urlTtl.isNegative() || urlTtl.isZero() || urlTtl.compareTo(MAX_URL_TTL) > 0) {
      throw new ImageSearchException(
          "IMAGE_SEARCH_URL_TTL=" + urlTtl + " must be between 1 second and 7 days");
    }
    if (keepVersions < 1) {
      throw new ImageSearchException(
          "IMAGE_SEARCH_KEEP_VERSIONS=" + keepVersions + " must be at least 1");
    }
  }

  /** Defaults for a local folder (tests, tools). */
  public static StoreConfig local(java.nio.file.Path root) {
    return new StoreConfig(
        new StoreLocation.Local(root),
        Optional.empty(),
        Optional.empty(),
        Duration.ofMinutes(15),
        Optional.empty(),
        "/files",
        Duration.ofSeconds(30),
        3);
  }

  /** Reads the variables listed in the class comment from {@code env}. */
  public static StoreConfig fromEnv(Map<String, String> env) {
    String bucketName = blankToNull(env.get("BUCKET_NAME"));
    String store = blankToNull(env.get("IMAGE_SEARCH_STORE"));
    StoreLocation location;
    if (store != null) {
      location = StoreLocation.parse(store, "IMAGE_SEARCH_STORE");
      if (bucketName != null
          && !(location instanceof StoreLocation.S3 s3 && s3.bucket().equals(bucketName))) {
        throw new ImageSearchException(
            "IMAGE_SEARCH_STORE="
                + store
                + " and BUCKET_NAME="
                + bucketName
                + " disagree: set only one of them");
      }
    } else if (bucketName != null) {
      location = StoreLocation.s3(bucketName, "", "BUCKET_NAME");
    } else {
      location = new StoreLocation.Local(java.nio.file.Path.of(DEFAULT_LOCAL_ROOT));
    }

    Optional<String> endpoint = Optional.ofNullable(blankToNull(env.get("ENDPOINT_URL")));
    endpoint.ifPresent(StoreConfig::checkEndpoint);
    String region = blankToNull(env.get("AWS_REGION"));
    if (region == null) {
      region = blankToNull(env.get("AWS_DEFAULT_REGION"));
    }
    if (region == null && endpoint.isPresent()) {
      region = "us-east-1"; // S3-compatible servers ignore the region but SigV4 needs one
    }
    if (location instanceof StoreLocation.S3 && region == null) {
      throw new ImageSearchException(
          "AWS_REGION is not set: S3 store " + location + " needs the bucket's region");
    }
    if (region != null && !region.matches("[a-z0-9-]+")) {
      throw new ImageSearchException("AWS_REGION='" + region + "' is not a region name");
    }

    Duration ttl = duration(env, "IMAGE_SEARCH_URL_TTL", Duration.ofMinutes(15));
    Optional<String> urlKey = Optional.ofNullable(blankToNull(env.get("IMAGE_SEARCH_URL_KEY")));
    if (urlKey.isPresent() && urlKey.get().getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new ImageSearchException(
          "IMAGE_SEARCH_URL_KEY is shorter than 32 characters: use a long random value");
    }
    String filesPath = env.getOrDefault("IMAGE_SEARCH_FILES_PATH", "/files");
    if (!filesPath.startsWith("/") || filesPath.contains("?") || filesPath.contains("#")) {
      throw new ImageSearchException(
          "IMAGE_SEARCH_FILES_PATH='" + filesPath + "' must be a path starting with '/'");
    }
    Duration poll = duration(env, "IMAGE_SEARCH_INDEX_POLL", Duration.ofSeconds(30));
    int keep = integer(env, "IMAGE_SEARCH_KEEP_VERSIONS", 3);
    return new StoreConfig(
        location,
        endpoint.map(URI::create),
        Optional.ofNullable(region),
        ttl,
        urlKey,
        filesPath,
        poll,
        keep);
  }

  /** Never prints the URL signing key. */
  @Override
  public String toString() {
    return "StoreConfig[location="
        + location
        + ", endpoint="
        + endpoint.map(URI::toString).orElse("(AWS)")
        + ", region="
        + region.orElse("(none)")
        + ", urlTtl="
        + urlTtl
        + ", urlKey="
        + (urlKey.isPresent() ? "(set)" : "(random per process)")
        + ", filesPath="
        + filesPath
        + ", indexPoll="
        + indexPoll
        + ", keepVersions="
        + keepVersions
        + "]";
  }

  private static void checkEndpoint(String value) {
    try {
      URI uri = URI.create(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw new ImageSearchException(
          "ENDPOINT_URL='" + value + "' is not an http(s) URL like http://localhost:9000");
    }
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      return value.matches("\\d+")
          ? Duration.ofSeconds(Long.parseLong(value))
          : Duration.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new ImageSearchException(
          name + "='" + value + "' is not a duration: give seconds (900) or ISO-8601 (PT15M)");
    }
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ImageSearchException(name + "='" + value + "' is not a whole number");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
