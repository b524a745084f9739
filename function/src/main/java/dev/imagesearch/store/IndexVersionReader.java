package dev.imagesearch.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.Sha256;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.ImageRecords;
import dev.imagesearch.search.IndexManifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one reader of an index version in a store, for both its readers: the serving side's {@link
 * IndexLoader} and the indexer (which reuses the rows of unchanged images). Every check is made
 * here, so both refuse the same versions:
 *
 * <ul>
 *   <li>the manifest names this version, the model id and dimension are the caller's, its dtype is
 *       one the format knows;
 *   <li>{@code metadata.jsonl} has one line per image the manifest announces and no key twice;
 *   <li>{@code embeddings.npy} has the announced shape and dtype, finite values, nothing after the
 *       rows;
 *   <li>each file's sha256 equals the manifest's (hashed while it is parsed, so nothing is read
 *       twice).
 * </ul>
 *
 * A version whose content fails a check throws {@link InvalidIndexException}; a store that fails
 * throws a plain {@link ImageSearchException}.
 *
 * <pre>{@code
 * IndexVersionReader.Version v = new IndexVersionReader(store).open("v1", "tiny-clip", 64);
 * v.readRows(row -> builder.add(row)); // row i belongs to v.records().get(i)
 * }</pre>
 */
public final class IndexVersionReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BlobStore store;

  public IndexVersionReader(BlobStore store) {
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

  /**
   * Reads and checks the manifest and metadata of {@code version}; the rows are read by {@link
   * Version#readRows}.
   *
   * @param modelId the model whose embeddings the caller needs
   * @param dim that model's embedding dimension
   */
  public Version open(String version, String modelId, int dim) {
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
    Npy.DType.ofLabel(manifest.dtype(), manifestKey); // an unknown dtype is refused here
    String metadataKey = IndexFiles.key(version, IndexFiles.METADATA);
    ImageRecords records;
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
    return new Version(version, manifest, records, this);
  }

  /**
   * An opened version whose manifest and metadata passed their checks.
   *
   * @param records the images, in row order (each key once: checked when read)
   * @param reader the reader that opened it (and reads its rows)
   */
  public record Version(
      String version, IndexManifest manifest, ImageRecords records, IndexVersionReader reader) {

    /**
     * Streams the rows of {@code embeddings.npy} to {@code sink} in order (the array is reused:
     * copy what you keep), checking shape, dtype, values and hash. An {@link
     * IllegalArgumentException} from the sink is reported as an invalid file too.
     */
    public void readRows(Npy.RowSink sink) {
      String manifestKey = IndexFiles.key(version, IndexFiles.MANIFEST);
      String embeddingsKey = IndexFiles.key(version, IndexFiles.EMBEDDINGS);
      Npy.DType dtype = Npy.DType.ofLabel(manifest.dtype(), manifestKey);
      try (Sha256.HashingStream hashed = reader.hashing(embeddingsKey, manifest, manifestKey)) {
        InputStream in = new BufferedInputStream(hashed, 1 << 16);
        Npy.Header header = Npy.readHeader(in, embeddingsKey);
        if (header.rows() != manifest.count()
            || header.dim() != manifest.dim()
            || header.dtype() != dtype) {
          throw new InvalidIndexException(
              embeddingsKey
                  + " holds "
                  + header.shape()
                  + " but "
                  + manifestKey
                  + " announces "
                  + manifest.count()
                  + " x "
                  + manifest.dim()
                  + " "
                  + manifest.dtype());
        }
        int[] row = {0};
        Npy.readRows(
            in,
            header,
            embeddingsKey,
            values -> {
              checkFinite(values, embeddingsKey, row[0]++);
              try {
                sink.accept(values);
              } catch (IllegalArgumentException e) {
                throw new InvalidIndexException(embeddingsKey + ": " + e.getMessage(), e);
              }
            });
        checkHash(hashed, embeddingsKey, manifest);
      } catch (IOException e) {
        throw new ImageSearchException("cannot read " + embeddingsKey + ": " + e.getMessage(), e);
      }
    }

    /**
     * The version's relevance calibration ({@code calibration.json}), checked against the
     * manifest's sha256; empty for a version published before calibration existed.
     */
    public Optional<Calibration> calibration() {
      if (!manifest.fileSha256().containsKey(IndexFiles.CALIBRATION)) {
        return Optional.empty();
      }
      String manifestKey = IndexFiles.key(version, IndexFiles.MANIFEST);
      String key = IndexFiles.key(version, IndexFiles.CALIBRATION);
      byte[] bytes;
      try (Sha256.HashingStream in = reader.hashing(key, manifest, manifestKey)) {
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

    /**
     * Why this version skipped each file it did, by content sha256 ({@code skipped.jsonl}); best
     * effort, for dry runs: an absent file or unreadable line only leaves entries out.
     */
    public Map<String, String> skipReasons() {
      Map<String, String> reasons = new HashMap<>();
      byte[] bytes =
          reader
              .store
              .readIfExists(IndexFiles.key(version, IndexFiles.SKIPPED))
              .orElse(new byte[0]);
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        try {
          JsonNode node = JSON.readTree(line);
          if (node != null && node.hasNonNull("sha256") && node.hasNonNull("reason")) {
            reasons.put(node.get("sha256").asText(), node.get("reason").asText());
          }
        } catch (IOException e) {
          // An unreadable line only means a dry run says "embed" for that file.
        }
      }
      return reasons;
    }
  }

  private static void checkFinite(float[] values, String key, int row) {
    for (int j = 0; j < values.length; j++) {
      if (!Float.isFinite(values[j])) {
        throw new InvalidIndexException(
            key + ": row " + row + " has a non-finite value at position " + j + ": " + values[j]);
      }
    }
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
