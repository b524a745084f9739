package dev.imagesearch.store;

import dev.imagesearch.search.EmbeddingMatrix;
import java.util.Optional;

/**
 * Loads the version {@code index/CURRENT} names into a searchable {@link LoadedIndex}, refusing it
 * unless every check of {@link IndexVersionReader} passes. Embeddings stream straight into the
 * matrix, so loading needs little more memory than the result.
 *
 * <pre>{@code
 * LoadedIndex index = new IndexLoader(store).loadCurrent(embedder.modelId(), embedder.dim());
 * }</pre>
 */
public final class IndexLoader {
  private final IndexVersionReader reader;

  public IndexLoader(BlobStore store) {
    this.reader = new IndexVersionReader(store);
  }

  public BlobStore store() {
    return reader.store();
  }

  /** The change tag of {@code index/CURRENT}, or empty when there is no index yet. */
  public Optional<String> currentTag() {
    return reader.currentTag();
  }

  /** The version {@code index/CURRENT} names, or empty when there is no index yet. */
  public Optional<String> currentVersion() {
    return reader.currentVersion();
  }

  /** Loads the live version; throws when there is none. */
  public LoadedIndex loadCurrent(String modelId, int dim) {
    String version = currentVersion().orElseThrow(() -> IndexFiles.noIndex(reader.store()));
    return load(version, modelId, dim);
  }

  /**
   * Loads and checks {@code version}. Throws {@link InvalidIndexException} when its content is
   * wrong and a plain {@link dev.imagesearch.ImageSearchException} when the store fails.
   */
  public LoadedIndex load(String version, String modelId, int dim) {
    IndexVersionReader.Version v = reader.open(version, modelId, dim);
    EmbeddingMatrix.Builder builder = EmbeddingMatrix.builder(v.records().size(), dim);
    v.readRows(builder::add);
    return new LoadedIndex(version, v.manifest(), builder.build(), v.records(), v.calibration());
  }
}
