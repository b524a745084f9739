package dev.imagesearch.clip;

import dev.imagesearch.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a stand-in for huggingface.co puts on its answers for one file at a revision, as the hub
 * does: the commit, and the content address (a Git LFS file's sha256 and size, any other file's Git
 * blob id). Shared by the tests that run a local model host.
 */
public final class HubStandIn {
  private HubStandIn() {}

  /** The headers for {@code body}; {@code lfs} for the large files the hub keeps in Git LFS. */
  public static Map<String, String> headers(byte[] body, boolean lfs, String commit) {
    if (lfs) {
      return Map.of(
          "X-Repo-Commit",
          commit,
          "X-Linked-Etag",
          "\"" + Sha256.hex(body) + "\"",
          "X-Linked-Size",
          String.valueOf(body.length));
    }
    return Map.of("X-Repo-Commit", commit, "ETag", "\"" + gitBlobId(body) + "\"");
  }

  /** Git's id of a blob: the SHA-1 of {@code "blob <size>\0"} and the content. */
  public static String gitBlobId(byte[] content) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha1.digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
