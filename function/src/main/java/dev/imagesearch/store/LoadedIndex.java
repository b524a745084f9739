package dev.imagesearch.store;

import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.search.ImageRecords;
import dev.imagesearch.search.IndexManifest;
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
 * @param calibration what unrelated queries reach on this version, or empty for a version published
 *     before calibration existed (served with default thresholds until the next publish)
 */
public record LoadedIndex(
    String version,
    IndexManifest manifest,
    EmbeddingMatrix matrix,
    ImageRecords records,
    Optional<Calibration> calibration) {

  /** A version without calibration. */
  public LoadedIndex(
      String version, IndexManifest manifest, EmbeddingMatrix matrix, ImageRecords records) {
    this(version, manifest, matrix, records, Optional.empty());
  }

  /** The row of the image {@code key}, or empty when the index has no such image. */
  public OptionalInt rowOf(String key) {
    return records.rowOf(key);
  }

  public int size() {
    return records.size();
  }
}
