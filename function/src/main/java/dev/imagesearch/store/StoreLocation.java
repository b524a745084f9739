package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.nio.file.Path;

/**
 * Where the collection lives: {@code s3://bucket/prefix} or a local folder.
 *
 * <pre>{@code
 * StoreLocation.parse("s3://photos/demo")  // S3("photos", "demo/")
 * StoreLocation.parse("work-data/demo")    // Local(work-data/demo)
 * }</pre>
 */
public sealed interface StoreLocation {
  /** A bucket and a key prefix that is empty or ends with '/'. */
  record S3(String bucket, String prefix) implements StoreLocation {
    @Override
    public String toString() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

  /** A local folder. */
  record Local(Path root) implements StoreLocation {
    @Override
    public String toString() {
      return root.toString();
    }
  }

  /** Parses a location; {@code what} names the setting in error messages. */
  static StoreLocation parse(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new ImageSearchException(what + " is empty: give s3://bucket/prefix or a folder");
    }
    String trimmed = value.trim();
    if (trimmed.regionMatches(true, 0, "s3://", 0, 5)) {
      String rest = trimmed.substring(5);
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      return s3(bucket, prefix, what);
    }
    if (trimmed.contains("://")) {
      throw new ImageSearchException(
          what + "='" + trimmed + "' is neither s3://bucket/prefix nor a local folder");
    }
    return new Local(Path.of(trimmed));
  }

  static StoreLocation parse(String value) {
    return parse(value, "store location");
  }

  /** An S3 location with the bucket name checked against S3's naming rules. */
  static S3 s3(String bucket, String prefix, String what) {
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ImageSearchException(
          what
              + ": '"
              + bucket
              + "' is not a valid bucket name (3-63 lowercase letters, digits, '.', '-')");
    }
    String p = prefix.replaceAll("^/+", "");
    if (!p.isEmpty() && !p.endsWith("/")) {
      p = p + "/";
    }
    if (!p.isEmpty()) {
      Keys.checkPrefix(p);
    }
    return new S3(bucket, p);
  }
}
