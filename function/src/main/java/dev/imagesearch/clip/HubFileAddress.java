package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What the Hugging Face hub says one file of a repository is at a revision, read from the headers
 * of a {@code HEAD .../resolve/<revision>/<path>} answered without following its redirect: for a
 * Git LFS file (the ONNX models) {@code X-Linked-Etag} is the content's sha256 and {@code
 * X-Linked-Size} its size; for a file kept in Git itself (the JSON files) {@code ETag} is the Git
 * blob id, a SHA-1 of {@code "blob <size>\0"} and the content. {@code X-Repo-Commit} is the commit
 * the revision resolved to. These are the headers {@code huggingface_hub} and {@code
 * huggingface.js} read for the same purpose.
 *
 * <p>Why it exists: a revision that is a commit id fixes every file's content, so a file checked
 * against the hub's own content address for that commit is the file the revision names, even before
 * anyone has copied its sha256 into the pin list ({@link ModelPins}). A pinned sha256 is still
 * checked first and wins.
 *
 * @param algorithm {@code sha256} (LFS) or {@code git-sha1} (a Git blob)
 * @param hex the digest, lower-case hex
 * @param size the content's size in bytes, when the hub said it
 * @param commit the commit the revision resolved to, when the hub said it
 */
public record HubFileAddress(
    String algorithm, String hex, OptionalLong size, Optional<String> commit) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

  /** The address in {@code headers}, or empty when they carry no digest this class knows. */
  public static Optional<HubFileAddress> from(HttpHeaders headers) {
    Optional<String> commit = headers.firstValue("X-Repo-Commit").map(String::strip);
    Optional<String> linked = headers.firstValue("X-Linked-Etag").map(HubFileAddress::unquote);
    if (linked.isPresent() && SHA256.matcher(linked.get()).matches()) {
      return Optional.of(
          new HubFileAddress("sha256", linked.get(), size(headers, "X-Linked-Size"), commit));
    }
    Optional<String> etag = headers.firstValue("ETag").map(HubFileAddress::unquote);
    if (etag.isPresent() && SHA1.matcher(etag.get()).matches()) {
      return Optional.of(
          new HubFileAddress("git-sha1", etag.get(), size(headers, "Content-Length"), commit));
    }
    return Optional.empty();
  }

  /** {@code "abc"}, {@code W/"abc"} or {@code abc} as {@code abc}, lower-case. */
  static String unquote(String etag) {
    String s = etag.strip();
    if (s.startsWith("W/")) s = s.substring(2);
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static OptionalLong size(HttpHeaders headers, String name) {
    Optional<String> raw = headers.firstValue(name);
    try {
      return raw.isPresent()
          ? OptionalLong.of(Long.parseLong(raw.get().strip()))
          : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The same digest of {@code file}, computed the way this address was. {@code sha256} is the
   * file's sha256, which the caller has already computed: an LFS address is that, so a large model
   * file is read once; only a Git blob id reads the file again.
   */
  public String digestOf(Path file, String sha256) {
    if (algorithm.equals("sha256")) return sha256;
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      digest.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new ImageSearchException("SHA-1 is not available in this JVM", e);
    }
  }

  /** How this address is named in messages: {@code sha256 <hex>} or {@code Git blob <hex>}. */
  public String describe() {
    return (algorithm.equals("sha256") ? "sha256 " : "Git blob ") + hex;
  }
}
