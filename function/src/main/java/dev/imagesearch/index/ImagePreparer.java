package dev.imagesearch.index;

import dev.imagesearch.Sha256;
import dev.imagesearch.clip.ClipImagePreprocessor;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.ObjectKeys;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;

/**
 * What a decode worker does for one key: hash it (or take the hash cache's word), find a row to
 * reuse (checkpoint first, then the live version), write the thumbnail and the copied original when
 * they are missing or stale, and queue the preprocessed pixels of what must be embedded.
 * Thread-safe: several workers share one preparer.
 */
final class ImagePreparer {
  /** Preprocessed pixels waiting for the vision model. */
  record Pending(String key, String sha256, int width, int height, float[] pixels) {}

  /**
   * Rows known before this run.
   *
   * @param live the live version's rows
   * @param resumedBySha rows an interrupted run checkpointed, by content
   * @param resumedByKey the same rows, by key
   */
  record Known(
      ReusableRows live,
      Map<String, EmbeddedRow> resumedBySha,
      Map<String, EmbeddedRow> resumedByKey) {}

  /**
   * What the store already holds.
   *
   * @param thumbs thumbnail keys present (empty when thumbnails are off)
   * @param images copied-original keys present (empty when the source is the store itself)
   */
  record Stored(Set<String> thumbs, Set<String> images) {}

  private final ImageSource source;
  private final BlobStore store;
  private final boolean thumbnails;
  private final ImageDecoder decoder;
  private final Thumbnailer thumbnailer;
  private final ClipImagePreprocessor preprocessor;
  private final HashCache hashes;
  private final Known known;
  private final Stored stored;
  private final Map<String, Outcome> outcomes;
  private final Progress progress;

  ImagePreparer(
      ImageSource source,
      BlobStore store,
      boolean thumbnails,
      ImageDecoder decoder,
      ClipImagePreprocessor preprocessor,
      HashCache hashes,
      Known known,
      Stored stored,
      Map<String, Outcome> outcomes,
      Progress progress) {
    this.source = source;
    this.store = store;
    this.thumbnails = thumbnails;
    this.decoder = decoder;
    this.thumbnailer = Thumbnailer.defaults();
    this.preprocessor = preprocessor;
    this.hashes = hashes;
    this.known = known;
    this.stored = stored;
    this.outcomes = outcomes;
    this.progress = progress;
  }

  void prepare(String key, BlockingQueue<Pending> queue) throws InterruptedException {
    Optional<String> tag = source.tag(key);
    String sha = hashes.lookup(key, tag).orElse(null);
    byte[] bytes = null;
    if (sha == null) {
      bytes = source.read(key);
      sha = Sha256.hex(bytes);
    }
    hashes.remember(key, tag, sha);
    EmbeddedRow resumed = known.resumedBySha().get(sha);
    EmbeddedRow row = resumed != null ? resumed : known.live().bySha(sha).orElse(null);
    // Thumbnail and copied original are current when this key had this content before.
    boolean unchanged =
        sameContent(known.live().byKey(key), sha)
            || sameContent(Optional.ofNullable(known.resumedByKey().get(key)), sha);
    boolean needThumb =
        thumbnails && !(unchanged && stored.thumbs().contains(ObjectKeys.thumbnail(key)));
    boolean needCopy =
        !source.inIndexStore()
            && !(unchanged && stored.images().contains(ObjectKeys.original(key)));
    if (row != null && !needThumb && !needCopy) {
      done(key, row, resumed != null);
      return;
    }
    if (bytes == null) {
      bytes = source.read(key);
    }
    DecodedImage image = null;
    byte[] thumbnail = null;
    float[] pixels = null;
    if (row == null || needThumb) {
      try {
        image = decoder.decode(bytes);
        thumbnail = needThumb ? thumbnailer.jpeg(image.image()) : null;
        pixels = row == null ? preprocessor.preprocess(image.image()) : null;
      } catch (ImageRejectedException e) {
        reject(key, sha, e.getMessage());
        return;
      } catch (RuntimeException | OutOfMemoryError e) {
        // A pixel layout no converter expected, or too big to preprocess: that file only.
        reject(key, sha, "cannot process the decoded image: " + e);
        return;
      }
    }
    if (needCopy) {
      store.write(ObjectKeys.original(key), bytes);
    }
    if (thumbnail != null) {
      store.write(ObjectKeys.thumbnail(key), thumbnail);
    }
    if (row != null) {
      done(key, row, resumed != null);
      return;
    }
    queue.put(new Pending(key, sha, image.width(), image.height(), pixels));
  }

  private static boolean sameContent(Optional<EmbeddedRow> row, String sha) {
    return row.map(r -> r.sha256().equals(sha)).orElse(false);
  }

  private void reject(String key, String sha, String reason) {
    outcomes.put(key, new Outcome.Rejected(sha, reason));
    progress.step();
  }

  private void done(String key, EmbeddedRow row, boolean fromCheckpoint) {
    outcomes.put(
        key,
        new Outcome.Indexed(
            row.withKey(key), fromCheckpoint ? Outcome.Source.RESUMED : Outcome.Source.REUSED));
    progress.step();
  }
}
