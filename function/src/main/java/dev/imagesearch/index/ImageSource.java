package dev.imagesearch.index;

import dev.imagesearch.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the originals are read from: a prefix of a {@link BlobStore} (the store's own {@code
 * images/}, another S3 prefix, or a local folder opened as a store). Keys are relative to the
 * prefix and become the index's image keys. Only files with an image extension are listed, so a
 * {@code README.txt} or {@code .DS_Store} next to the photos is neither indexed nor "skipped".
 *
 * <pre>{@code
 * ImageSource source = new ImageSource(store, "images/", true);
 * for (String key : source.keys()) { byte[] bytes = source.read(key); }
 * }</pre>
 *
 * @param store the store holding the originals
 * @param prefix key prefix ({@code ""} or ending with '/')
 * @param inIndexStore true when these are the index store's own {@code images/}: nothing to copy
 */
public record ImageSource(BlobStore store, String prefix, boolean inIndexStore) {
  /** Extensions read as images (lower case). */
  public static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "webp");

  /** Image keys below the prefix, in lexical order. */
  public List<String> keys() {
    return store.list(prefix).stream()
        .map(k -> k.substring(prefix.length()))
        .filter(ImageSource::looksLikeImage)
        .toList();
  }

  static boolean looksLikeImage(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return !name.startsWith(".")
        && dot > 0
        && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The original's change tag (cheap: no content read). */
  public Optional<String> tag(String key) {
    return store.tag(prefix + key);
  }

  /** The original's bytes. */
  public byte[] read(String key) {
    try (InputStream in = store.open(prefix + key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new dev.imagesearch.ImageSearchException(
          "cannot read " + prefix + key + " from " + store.describe() + ": " + e.getMessage(), e);
    }
  }

  public String describe() {
    return prefix.isEmpty() ? store.describe() : store.describe() + " (" + prefix + ")";
  }
}
