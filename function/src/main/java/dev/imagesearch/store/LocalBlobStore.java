package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} in a local folder: key {@code images/cat.jpg} is the file {@code
 * <root>/images/cat.jpg}. Writes go to a hidden temporary file in the same folder and are then
 * moved into place atomically, so a crash never leaves a half-written file under a real key. Links
 * are the app's own HMAC-signed URLs (see {@link UrlSigner}).
 *
 * <pre>{@code
 * BlobStore store = new LocalBlobStore(Path.of("work-data/demo"), UrlSigner.withRandomKey("/files"));
 * store.write("index/CURRENT", "v1".getBytes(UTF_8));
 * }</pre>
 */
public final class LocalBlobStore implements BlobStore {
  private static final String TEMP_MARK = ".tmp-";
  private final Path root;
  private final UrlSigner signer;
  private final Clock clock;

  public LocalBlobStore(Path root, UrlSigner signer) {
    this(root, signer, Clock.systemUTC());
  }

  public LocalBlobStore(Path root, UrlSigner signer, Clock clock) {
    this.root = root.toAbsolutePath().normalize();
    this.signer = signer;
    this.clock = clock;
  }

  public Path root() {
    return root;
  }

  public UrlSigner signer() {
    return signer;
  }

  /** The file behind {@code key} (which need not exist). */
  public Path pathOf(String key) {
    Path path = root.resolve(Keys.check(key)).normalize();
    if (!path.startsWith(root)) {
      throw new ImageSearchException("object key '" + key + "' points outside " + root);
    }
    return path;
  }

  @Override
  public InputStream open(String key) {
    Path path = pathOf(key);
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new ImageSearchException("no object '" + key + "' in " + describe());
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> readIfExists(String key) {
    Path path = pathOf(key);
    try {
      return Optional.of(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(String key, byte[] bytes) {
    Path target = pathOf(key);
    replaceAtomically(target, temp -> Files.write(temp, bytes));
  }

  @Override
  public void write(String key, Path file) {
    Path target = pathOf(key);
    replaceAtomically(target, temp -> Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING));
  }

  @Override
  public Optional<String> tag(String key) {
    Path path = pathOf(key);
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      // The file key (inode) changes on every atomic replace, even within one mtime tick.
      return Optional.of(
          attributes.size()
              + "-"
              + attributes.lastModifiedTime().toInstant()
              + "-"
              + attributes.fileKey());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    Keys.checkPrefix(prefix);
    int cut = prefix.lastIndexOf('/');
    Path start = cut < 0 ? root : root.resolve(prefix.substring(0, cut));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(start)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().contains(TEMP_MARK))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix))
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new ImageSearchException("cannot list " + start + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) {
    Path path = pathOf(key);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new ImageSearchException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public URI signedUrl(String key, Duration ttl) {
    return signer.sign(key, ttl, clock.instant());
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private interface TempWriter {
    void writeTo(Path temp) throws IOException;
  }

  private void replaceAtomically(Path target, TempWriter writer) {
    Path temp = target.resolveSibling("." + target.getFileName() + TEMP_MARK + UUID.randomUUID());
    try {
      Files.createDirectories(target.getParent());
      writer.writeTo(temp);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new ImageSearchException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // Best effort: a leftover temp file is hidden from list() and harmless.
      }
    }
  }
}
