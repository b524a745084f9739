package dev.imagesearch.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.store.IndexFiles;
import dev.imagesearch.store.MetadataJsonl;
import dev.imagesearch.store.Npy;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one index version into a local staging folder, ready for {@link
 * dev.imagesearch.store.IndexPublisher#publish}: {@code embeddings.npy} (float16, row i = line i),
 * {@code metadata.jsonl}, {@code skipped.jsonl} (one {@code {"key","sha256","reason"}} per skipped
 * file) and a draft {@code manifest.json} (the publisher adds the version and file hashes).
 *
 * <pre>{@code
 * VersionWriter.write(staging, "tiny-clip", 64, rows, skipped);
 * }</pre>
 */
final class VersionWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A file that was not indexed, and why ({@code sha256} empty when it could not be read). */
  record Skipped(String key, String sha256, String reason) {}

  private VersionWriter() {}

  static void write(
      Path staging, String modelId, int dim, List<EmbeddedRow> rows, List<Skipped> skipped) {
    try {
      Files.createDirectories(staging);
      try (OutputStream out =
              new BufferedOutputStream(
                  Files.newOutputStream(staging.resolve(IndexFiles.EMBEDDINGS)), 1 << 16);
          Npy.Writer writer = Npy.writer(out, Npy.DType.FLOAT16, rows.size(), dim)) {
        for (EmbeddedRow row : rows) {
          writer.add(row.floats());
        }
      }
      List<ImageRecord> records = new ArrayList<>(rows.size());
      for (EmbeddedRow row : rows) {
        records.add(new ImageRecord(row.key(), row.width(), row.height(), row.sha256()));
      }
      try (OutputStream out = Files.newOutputStream(staging.resolve(IndexFiles.METADATA))) {
        MetadataJsonl.write(out, records);
      }
      StringBuilder lines = new StringBuilder();
      for (Skipped s : skipped) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", s.key());
        if (!s.sha256().isEmpty()) {
          node.put("sha256", s.sha256());
        }
        node.put("reason", s.reason());
        lines.append(node).append('\n');
      }
      Files.writeString(staging.resolve(IndexFiles.SKIPPED), lines, StandardCharsets.UTF_8);
      ObjectNode manifest = JSON.createObjectNode();
      manifest
          .put("model_id", modelId)
          .put("dim", dim)
          .put("count", rows.size())
          .put("dtype", Npy.DType.FLOAT16.label())
          .put("created_at", Instant.now().toString());
      Files.writeString(
          staging.resolve(IndexFiles.MANIFEST), manifest + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageSearchException("cannot write " + staging + ": " + e.getMessage(), e);
    }
  }
}
