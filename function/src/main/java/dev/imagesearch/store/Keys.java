package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;

/**
 * Validates object keys shared by both stores, so a key that would escape a local folder (or mean
 * something else on S3) is refused the same way everywhere.
 *
 * <p>A key is a relative, '/'-separated path: {@code images/cat.jpg}, {@code index/CURRENT}.
 */
final class Keys {
  private Keys() {}

  /** Returns {@code key} when it is a safe relative key, else throws naming the key. */
  static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new ImageSearchException("empty object key");
    }
    if (key.startsWith("/") || key.contains("\\") || key.indexOf('\0') >= 0) {
      throw new ImageSearchException(
          "object key '" + key + "' must be a relative path with '/' separators");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new ImageSearchException(
            "object key '" + key + "' has an empty, '.' or '..' segment");
      }
    }
    return key;
  }

  /** Checks a list prefix: empty, or a key-like path that may end with '/'. */
  static String checkPrefix(String prefix) {
    if (prefix.isEmpty()) {
      return prefix;
    }
    check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return prefix;
  }
}
