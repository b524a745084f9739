package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The local store's link-signing key when {@code IMAGE_SEARCH_URL_KEY} is not set: 32 random bytes
 * generated at first start and kept in a file only its owner can read ({@code rw-------}), so links
 * survive restarts without a secret in the environment. A key file others can read is narrowed to
 * the owner (with a warning) before use; where it cannot be written, links fall back to a key per
 * process.
 *
 * <pre>{@code byte[] secret = UrlSigningKey.loadOrCreate(root.resolve(".url-signing-key"));}</pre>
 */
public final class UrlSigningKey {
  private static final System.Logger LOG = System.getLogger(UrlSigningKey.class.getName());
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private UrlSigningKey() {}

  /** The key in {@code file}, created (owner-only) when absent. */
  public static byte[] loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      narrow(file);
      byte[] secret =
          HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (secret.length < 32) {
        throw new ImageSearchException(
            "the URL signing key in " + file + " is too short: delete the file to make a new one");
      }
      return secret;
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageSearchException(
          "cannot read or create the URL signing key " + file + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      // Created with owner-only permissions from the start: never readable by others, not even
      // for a moment.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException raced) {
      return; // another process made it first: use theirs
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(
        file,
        HexFormat.of().formatHex(secret) + "\n",
        StandardCharsets.US_ASCII,
        StandardOpenOption.TRUNCATE_EXISTING);
    LOG.log(Level.INFO, "created the URL signing key {0} (owner-only)", file);
  }

  private static void narrow(Path file) throws IOException {
    try {
      Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(now)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        LOG.log(
            Level.WARNING,
            "the URL signing key {0} was readable by others ({1}); narrowed to owner-only",
            file,
            PosixFilePermissions.toString(now));
      }
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: nothing to narrow.
    }
  }
}
