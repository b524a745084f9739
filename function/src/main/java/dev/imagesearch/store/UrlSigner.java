package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the app's own expiring file links, the local store's equivalent of S3 presigned
 * URLs: {@code <basePath>/<url-encoded key>?expires=<epoch s>&sig=<base64url HMAC-SHA256>}.
 *
 * <p>The signature covers the key and the expiry only, not the path prefix, so the same link stays
 * valid behind an API Gateway stage prefix ({@code /prod/files/...}). With a random key ({@link
 * #withRandomKey}) links die when the process restarts: set {@code IMAGE_SEARCH_URL_KEY} to keep
 * them across restarts and across instances.
 *
 * <pre>{@code
 * UrlSigner signer = new UrlSigner(secret, "/files");
 * URI link = signer.sign("images/cat.jpg", Duration.ofMinutes(15), Instant.now());
 * // the file route: path "/files/images/cat.jpg", query expires=..., sig=...
 * Verdict v = signer.verify(signer.keyFromPath(path), expires, sig, Instant.now());
 * }</pre>
 */
public final class UrlSigner {
  /** Outcome of checking a link; the file route answers 403 unless {@link #OK}. */
  public enum Verdict {
    OK,
    EXPIRED,
    BAD_SIGNATURE
  }

  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;
  private final String basePath;

  /**
   * @param secret HMAC key, at least 32 bytes
   * @param basePath path the file route is served under, e.g. {@code /files} or {@code /prod/files}
   */
  public UrlSigner(byte[] secret, String basePath) {
    if (secret.length < 32) {
      throw new ImageSearchException(
          "the URL signing key has " + secret.length + " bytes; use at least 32");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    this.basePath = normalizeBase(basePath);
  }

  /** A signer with a random per-process key: its links stop working when the process restarts. */
  public static UrlSigner withRandomKey(String basePath) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new UrlSigner(secret, basePath);
  }

  public String basePath() {
    return basePath;
  }

  /** A relative link to {@code key} valid until {@code now + ttl} (rounded up to the second). */
  public URI sign(String key, Duration ttl, Instant now) {
    Keys.check(key);
    long expires = now.plus(ttl).getEpochSecond() + (now.plus(ttl).getNano() > 0 ? 1 : 0);
    return URI.create(
        basePath
            + "/"
            + encodeKey(key)
            + "?expires="
            + expires
            + "&sig="
            + signature(key, expires));
  }

  /**
   * Checks a link's query values for {@code key} (already URL-decoded, see {@link #keyFromPath}).
   * Malformed values count as a bad signature; the comparison takes constant time.
   */
  public Verdict verify(String key, String expires, String sig, Instant now) {
    if (key == null || expires == null || sig == null) {
      return Verdict.BAD_SIGNATURE;
    }
    long expiresAt;
    try {
      Keys.check(key);
      expiresAt = Long.parseLong(expires);
    } catch (IllegalArgumentException | ImageSearchException e) {
      return Verdict.BAD_SIGNATURE;
    }
    // Compared as text, not as decoded bytes: the last base64 character of a 32-byte MAC carries
    // two unused bits, so decoding would accept several spellings of one signature.
    byte[] expected = signature(key, expiresAt).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
      return Verdict.BAD_SIGNATURE;
    }
    return now.getEpochSecond() >= expiresAt ? Verdict.EXPIRED : Verdict.OK;
  }

  /**
   * The decoded key of a request path {@code <anything>/<basePath>/<encoded key>}, or {@code null}
   * when the path is not below the base path. A leading stage prefix ({@code /prod}) before the
   * base path is accepted.
   */
  public String keyFromPath(String rawPath) {
    int at = rawPath.indexOf(basePath + "/");
    if (at < 0) {
      return null;
    }
    String encoded = rawPath.substring(at + basePath.length() + 1);
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Percent-encodes each '/'-separated segment of the key (spaces become %20, not '+'). */
  static String encodeKey(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    for (String segment : key.split("/", -1)) {
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return out.toString();
  }

  private String signature(String key, long expires) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, expires));
  }

  private byte[] mac(String key, long expires) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(this.key);
      // The expiry has no newline, so the last newline splits the message unambiguously.
      return mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new ImageSearchException("HMAC-SHA256 is not available in this JVM", e);
    }
  }

  private static String normalizeBase(String basePath) {
    String base = basePath.startsWith("/") ? basePath : "/" + basePath;
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
