package dev.imagesearch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The project's one SHA-256 helper, lower-case hex everywhere: of bytes (content hashes of
 * originals), of a file (published index files, downloaded model files), and of a stream as it is
 * read (an index file checked while it is parsed, so nothing is read twice).
 *
 * <pre>{@code
 * String sha = Sha256.hex(bytes);
 * try (Sha256.HashingStream in = new Sha256.HashingStream(store.open(key))) { ...; in.hex(); }
 * }</pre>
 */
public final class Sha256 {
  private Sha256() {}

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ImageSearchException("SHA-256 is not available in this JVM", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /** Throws {@link ImageSearchException} naming the file when it cannot be read. */
  public static String hex(Path file) {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A stream that hashes every byte read through it; {@link #hex()} once it is read to the end. */
  public static final class HashingStream extends FilterInputStream {
    private final MessageDigest digest = newDigest();

    public HashingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        digest.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must be hashed too, so read them instead.
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      long total = 0;
      while (total < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - total));
        if (r < 0) {
          break;
        }
        total += r;
      }
      return total;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** The hash of every byte read so far; call once, at the end. */
    public String hex() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
