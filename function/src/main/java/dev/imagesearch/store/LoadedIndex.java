package dev.imagesearch.store;

import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.search.IndexManifest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One loaded, checked index version: a snapshot that queries take once and keep until they finish,
 * even when the {@link IndexWatcher} swaps in a newer one meanwhile.
 *
 * @param version the version's name
 * @param manifest what its manifest says
 * @param matrix row i is the embedding of {@code records.get(i)}
 * @param records the images, in row order
 * @param rowByKey image key to row (for "more like this")
 * @param calibration what unrelated queries reach on this version, or empty for a version published
 *     before calibration existed (served with default thresholds until the next publish)
 */
public record LoadedIndex(
    String version,
    IndexManifest manifest,
    EmbeddingMatrix matrix,
    List<ImageRecord> records,
    Map<String, Integer> rowByKey,
    Optional<Calibration> calibration) {

  /** A version without calibration. */
  public LoadedIndex(
      String version,
      IndexManifest manifest,
      EmbeddingMatrix matrix,
      List<ImageRecord> records,
      Map<String, Integer> rowByKey) {
    this(version, manifest, matrix, records, rowByKey, Optional.empty());
  }

  /** The row of the image {@code key}, or empty when the index has no such image. */
  public OptionalInt rowOf(String key) {
    Integer row = rowByKey.get(key);
    return row == null ? OptionalInt.empty() : OptionalInt.of(row);
  }

  public int size() {
    return records.size();
  }
}
