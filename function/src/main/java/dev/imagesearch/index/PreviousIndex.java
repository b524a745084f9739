package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.search.IndexManifest;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.IndexFiles;
import dev.imagesearch.store.IndexLoader;
import dev.imagesearch.store.ManifestJson;
import dev.imagesearch.store.MetadataJsonl;
import dev.imagesearch.store.Npy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of the live index version, read exactly as stored (float16, not the serving side's int8
 * matrix), so reused rows are bit-for-bit the rows written before. An index made with another model
 * or dimension, or one that fails its checksums, is not reused: {@link #empty()} with a reason.
 *
 * <pre>{@code
 * PreviousIndex previous = PreviousIndex.load(store, "tiny-clip", 64);
 * Optional<EmbeddedRow> row = previous.bySha(sha256);
 * }</pre>
 */
final class PreviousIndex {
  private final String version;
  private final String note;
  private final Map<String, EmbeddedRow> byKey;
  private final Map<String, EmbeddedRow> bySha;
  private final Map<String, String> fileSha256;
  private final Map<String, String> skipReasons = new HashMap<>();

  private PreviousIndex(
      String version, String note, List<EmbeddedRow> rows, Map<String, String> fileSha256) {
    this.version = version;
    this.note = note;
    this.fileSha256 = fileSha256;
    this.byKey = HashMap.newHashMap(rows.size());
    this.bySha = HashMap.newHashMap(rows.size());
    for (EmbeddedRow row : rows) {
      byKey.put(row.key(), row);
      bySha.putIfAbsent(row.sha256(), row);
    }
  }

  static PreviousIndex empty(String note) {
    return new PreviousIndex(null, note, List.of(), Map.of());
  }

  /** Reads the live version of {@code store}; empty when there is none or it cannot be reused. */
  static PreviousIndex load(BlobStore store, String modelId, int dim) {
    Optional<String> current = new IndexLoader(store).currentVersion();
    if (current.isEmpty()) {
      return empty("no index yet");
    }
    String version = current.get();
    String manifestKey = IndexFiles.key(version, IndexFiles.MANIFEST);
    IndexManifest manifest =
        ManifestJson.read(
            store
                .readIfExists(manifestKey)
                .orElseThrow(() -> new ImageSearchException("missing " + manifestKey)),
            manifestKey);
    if (!manifest.modelId().equals(modelId) || manifest.dim() != dim) {
      return empty(
          "index "
              + version
              + " was made with "
              + manifest.modelId()
              + " (dim "
              + manifest.dim()
              + "), not "
              + modelId
              + " (dim "
              + dim
              + "): every image is embedded again");
    }
    String metadataKey = IndexFiles.key(version, IndexFiles.METADATA);
    List<ImageRecord> records;
    try (DigestInputStream in = digesting(store.open(metadataKey))) {
      records = MetadataJsonl.read(in, metadataKey, manifest.count());
      if (!hex(in).equals(manifest.fileSha256().get(IndexFiles.METADATA))) {
        return empty(metadataKey + " does not match its manifest: every image is embedded again");
      }
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + metadataKey + ": " + e.getMessage(), e);
    }
    String embeddingsKey = IndexFiles.key(version, IndexFiles.EMBEDDINGS);
    List<EmbeddedRow> rows = new ArrayList<>(records.size());
    try (DigestInputStream digest = digesting(store.open(embeddingsKey))) {
      InputStream in = new BufferedInputStream(digest, 1 << 16);
      Npy.Header header = Npy.readHeader(in, embeddingsKey);
      if (header.rows() != records.size() || header.dim() != dim) {
        return empty(embeddingsKey + " does not match its metadata: every image is embedded again");
      }
      Npy.readRows(
          in,
          header,
          embeddingsKey,
          row -> {
            ImageRecord record = records.get(rows.size());
            rows.add(
                EmbeddedRow.of(
                    record.key(), record.sha256(), record.width(), record.height(), row));
          });
      if (!hex(digest).equals(manifest.fileSha256().get(IndexFiles.EMBEDDINGS))) {
        return empty(embeddingsKey + " does not match its manifest: every image is embedded again");
      }
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + embeddingsKey + ": " + e.getMessage(), e);
    }
    PreviousIndex previous =
        new PreviousIndex(version, "reusing index " + version, rows, manifest.fileSha256());
    previous.readSkipped(store, version);
    return previous;
  }

  /** Reasons of the files the live version skipped, by content (for dry runs); best effort. */
  private void readSkipped(BlobStore store, String version) {
    Optional<byte[]> bytes = store.readIfExists(IndexFiles.key(version, IndexFiles.SKIPPED));
    if (bytes.isEmpty()) {
      return;
    }
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line :
        new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      try {
        com.fasterxml.jackson.databind.JsonNode node = json.readTree(line);
        if (node != null && node.hasNonNull("sha256") && node.hasNonNull("reason")) {
          skipReasons.put(node.get("sha256").asText(), node.get("reason").asText());
        }
      } catch (IOException e) {
        // An unreadable line only means a dry run says "embed" for that file.
      }
    }
  }

  private static DigestInputStream digesting(InputStream in) {
    try {
      return new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new ImageSearchException("SHA-256 is not available in this JVM", e);
    }
  }

  private static String hex(DigestInputStream in) {
    return HexFormat.of().formatHex(in.getMessageDigest().digest());
  }

  /** The version read, or empty. */
  Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /** File name to sha256 of the live version's files (empty when there is none). */
  Map<String, String> fileSha256() {
    return fileSha256;
  }

  /** Why the live version skipped a file with this content, if it did. */
  Optional<String> skipReason(String sha256) {
    return Optional.ofNullable(skipReasons.get(sha256));
  }

  /** Why rows are or are not reused, for the log. */
  String note() {
    return note;
  }

  Optional<EmbeddedRow> bySha(String sha256) {
    return Optional.ofNullable(bySha.get(sha256));
  }

  Optional<EmbeddedRow> byKey(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Keys of the live version. */
  Iterable<String> keys() {
    return byKey.keySet();
  }

  int size() {
    return byKey.size();
  }
}
