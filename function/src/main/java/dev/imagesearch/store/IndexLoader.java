package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.search.IndexManifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the version {@code index/CURRENT} names and refuses it unless every check passes: each
 * file's sha256 equals the manifest's (hashed while the file is parsed, so nothing is read twice),
 * the model id and dimension are the query model's, the matrix has one row per metadata line.
 * Embeddings stream straight into the matrix, so loading needs little more memory than the result.
 *
 * <pre>{@code
 * LoadedIndex index = new IndexLoader(store).loadCurrent(embedder.modelId(), embedder.dim());
 * }</pre>
 */
public final class IndexLoader {
  private final BlobStore store;

  public IndexLoader(BlobStore store) {
    this.store = store;
  }

  public BlobStore store() {
    return store;
  }

  /** The change tag of {@code index/CURRENT}, or empty when there is no index yet. */
  public Optional<String> currentTag() {
    return store.tag(IndexFiles.CURRENT);
  }

  /** The version {@code index/CURRENT} names, or empty when there is no index yet. */
  public Optional<String> currentVersion() {
    return store
        .readIfExists(IndexFiles.CURRENT)
        .map(bytes -> IndexFiles.checkVersion(new String(bytes, StandardCharsets.UTF_8).strip()));
  }

  /** Loads the live version; throws when there is none. */
  public LoadedIndex loadCurrent(String modelId, int dim) {
    String version = currentVersion().orElseThrow(() -> IndexFiles.noIndex(store));
    return load(version, modelId, dim);
  }

  /**
   * Loads and checks {@code version}. Throws {@link InvalidIndexException} when its content is
   * wrong and a plain {@link ImageSearchException} when the store fails.
   */
  public LoadedIndex load(String version, String modelId, int dim) {
    String manifestKey = IndexFiles.key(version, IndexFiles.MANIFEST);
    byte[] manifestBytes =
        store
            .readIfExists(manifestKey)
            .orElseThrow(
                () ->
                    new InvalidIndexException(
                        "index " + version + " has no " + manifestKey + " in " + store.describe()));
    IndexManifest manifest = ManifestJson.read(manifestBytes, manifestKey);
    if (!manifest.version().equals(version)) {
      throw new InvalidIndexException(
          manifestKey + " belongs to version '" + manifest.version() + "', not " + version);
    }
    if (!manifest.modelId().equals(modelId) || manifest.dim() != dim) {
      throw new InvalidIndexException(
          "index "
              + version
              + " was made with model "
              + manifest.modelId()
              + " (dim "
              + manifest.dim()
              + ") but the loaded model is "
              + modelId
              + " (dim "
              + dim
              + ")");
    }
    Npy.DType dtype = Npy.DType.ofLabel(manifest.dtype(), manifestKey);

    String metadataKey = IndexFiles.key(version, IndexFiles.METADATA);
    List<ImageRecord> records;
    try (Sha256.HashingStream in = hashing(metadataKey, manifest, manifestKey)) {
      records = MetadataJsonl.read(in, metadataKey, manifest.count());
      checkHash(in, metadataKey, manifest);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + metadataKey + ": " + e.getMessage(), e);
    }
    if (records.size() != manifest.count()) {
      throw new InvalidIndexException(
          metadataKey
              + " has "
              + records.size()
              + " lines but "
              + manifestKey
              + " announces "
              + manifest.count()
              + " images");
    }
    Map<String, Integer> rowByKey = HashMap.newHashMap(records.size());
    for (int i = 0; i < records.size(); i++) {
      Integer previous = rowByKey.put(records.get(i).key(), i);
      if (previous != null) {
        throw new InvalidIndexException(
            metadataKey
                + " lists '"
                + records.get(i).key()
                + "' twice (lines "
                + (previous + 1)
                + " and "
                + (i + 1)
                + ")");
      }
    }

    String embeddingsKey = IndexFiles.key(version, IndexFiles.EMBEDDINGS);
    EmbeddingMatrix matrix;
    try (Sha256.HashingStream hashed = hashing(embeddingsKey, manifest, manifestKey)) {
      InputStream in = new BufferedInputStream(hashed, 1 << 16);
      Npy.Header header = Npy.readHeader(in, embeddingsKey);
      if (header.rows() != manifest.count()
          || header.dim() != manifest.dim()
          || header.dtype() != dtype) {
        throw new InvalidIndexException(
            embeddingsKey
                + " holds "
                + header.rows()
                + " x "
                + header.dim()
                + " "
                + header.dtype().label()
                + " but "
                + manifestKey
                + " announces "
                + manifest.count()
                + " x "
                + manifest.dim()
                + " "
                + manifest.dtype());
      }
      EmbeddingMatrix.Builder builder = EmbeddingMatrix.builder(header.rows(), header.dim());
      Npy.readRows(
          in,
          header,
          embeddingsKey,
          row -> {
            try {
              builder.add(row);
            } catch (IllegalArgumentException e) { // e.g. a NaN or infinite value
              throw new InvalidIndexException(embeddingsKey + ": " + e.getMessage(), e);
            }
          });
      checkHash(hashed, embeddingsKey, manifest);
      matrix = builder.build();
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + embeddingsKey + ": " + e.getMessage(), e);
    }
    return new LoadedIndex(
        version,
        manifest,
        matrix,
        Collections.unmodifiableList(records),
        rowByKey,
        calibration(version, manifest, manifestKey));
  }

  /**
   * The version's calibration, checked against the manifest's sha256; empty when the version was
   * published before calibration existed (or for another model, which cannot happen unless edited
   * by hand).
   */
  private Optional<Calibration> calibration(
      String version, IndexManifest manifest, String manifestKey) {
    if (!manifest.fileSha256().containsKey(IndexFiles.CALIBRATION)) {
      return Optional.empty();
    }
    String key = IndexFiles.key(version, IndexFiles.CALIBRATION);
    byte[] bytes;
    try (Sha256.HashingStream in = hashing(key, manifest, manifestKey)) {
      bytes = in.readAllBytes();
      checkHash(in, key, manifest);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + key + ": " + e.getMessage(), e);
    }
    Calibration calibration = CalibrationJson.read(bytes, key);
    if (!calibration.modelId().equals(manifest.modelId())) {
      throw new InvalidIndexException(
          key
              + " was measured with model "
              + calibration.modelId()
              + " but the index holds "
              + manifest.modelId());
    }
    return Optional.of(calibration);
  }

  private Sha256.HashingStream hashing(String key, IndexManifest manifest, String manifestKey) {
    String file = key.substring(key.lastIndexOf('/') + 1);
    if (!manifest.fileSha256().containsKey(file)) {
      throw new InvalidIndexException(manifestKey + " has no sha256 for " + file);
    }
    return new Sha256.HashingStream(store.open(key));
  }

  private static void checkHash(Sha256.HashingStream in, String key, IndexManifest manifest) {
    String expected = manifest.fileSha256().get(key.substring(key.lastIndexOf('/') + 1));
    String actual = in.hex();
    if (!actual.equals(expected)) {
      throw new InvalidIndexException(
          key + " is corrupted: its sha256 is " + actual + " but the manifest says " + expected);
    }
  }
}
