package dev.imagesearch.index;

import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.IndexVersionReader;
import dev.imagesearch.store.InvalidIndexException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of the live index version that a run may reuse, read by the store's one {@link
 * IndexVersionReader} (with every check the serving side makes) exactly as stored: float16 values,
 * not the serving side's quantized matrix, so reused rows are bit-for-bit the rows written before.
 * A version made with another model or dimension, or one that fails a check, is not reused: {@link
 * #none} with the reason.
 *
 * <pre>{@code
 * ReusableRows live = ReusableRows.load(store, "tiny-clip", 64);
 * Optional<EmbeddedRow> row = live.bySha(sha256);
 * }</pre>
 */
final class ReusableRows {
  private final String version;
  private final String note;
  private final Map<String, EmbeddedRow> byKey;
  private final Map<String, EmbeddedRow> bySha;
  private final Map<String, String> fileSha256;
  private final Map<String, String> skipReasons;

  private ReusableRows(
      String version,
      String note,
      List<EmbeddedRow> rows,
      Map<String, String> fileSha256,
      Map<String, String> skipReasons) {
    this.version = version;
    this.note = note;
    this.fileSha256 = fileSha256;
    this.skipReasons = skipReasons;
    this.byKey = HashMap.newHashMap(rows.size());
    this.bySha = HashMap.newHashMap(rows.size());
    for (EmbeddedRow row : rows) {
      byKey.put(row.key(), row);
      bySha.putIfAbsent(row.sha256(), row);
    }
  }

  /** Nothing to reuse, and why (for the log). */
  static ReusableRows none(String note) {
    return new ReusableRows(null, note, List.of(), Map.of(), Map.of());
  }

  /**
   * Reads the live version of {@code store}; {@link #none} when there is none or it cannot be
   * reused. A store that fails throws.
   */
  static ReusableRows load(BlobStore store, String modelId, int dim) {
    IndexVersionReader reader = new IndexVersionReader(store);
    Optional<String> current = reader.currentVersion();
    if (current.isEmpty()) {
      return none("no index yet");
    }
    try {
      IndexVersionReader.Version live = reader.open(current.get(), modelId, dim);
      List<ImageRecord> records = live.records();
      List<EmbeddedRow> rows = new ArrayList<>(records.size());
      live.readRows(
          values -> {
            ImageRecord record = records.get(rows.size());
            rows.add(
                EmbeddedRow.of(
                    record.key(), record.sha256(), record.width(), record.height(), values));
          });
      return new ReusableRows(
          live.version(),
          "reusing index " + live.version(),
          rows,
          live.manifest().fileSha256(),
          live.skipReasons());
    } catch (InvalidIndexException e) {
      return none(e.getMessage() + ": every image is embedded again");
    }
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
}
