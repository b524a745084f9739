package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The content hash of an original: lower-case hex SHA-256 of its bytes. */
final class Hashing {
  private Hashing() {}

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new ImageSearchException("SHA-256 is not available in this JVM", e);
    }
  }
}
