package dev.imagesearch.store;

import dev.imagesearch.search.ImageRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test helper: writes a staging folder the way the indexer does (random unit rows, one metadata
 * line per row, a draft manifest), ready for {@link IndexPublisher#publish}.
 */
public final class StagedIndex {
  private StagedIndex() {}

  public static Path write(
      Path dir, String modelId, int rows, int dim, Npy.DType dtype, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ImageRecord> records = new ArrayList<>(rows);
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(dir.resolve(IndexFiles.EMBEDDINGS));
          Npy.Writer writer = Npy.writer(out, dtype, rows, dim)) {
        float[] row = new float[dim];
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < dim; j++) {
            row[j] = (float) (random.nextDouble() * 2 - 1);
          }
          writer.add(row);
          records.add(
              new ImageRecord(
                  "img/" + seed + "-" + i + ".jpg", 100 + i % 7, 80 + i % 5, "%064x".formatted(i)));
        }
      }
      try (OutputStream out = Files.newOutputStream(dir.resolve(IndexFiles.METADATA))) {
        MetadataJsonl.write(out, records);
      }
      String manifest =
          """
          {"model_id": "%s", "dim": %d, "count": %d, "dtype": "%s",
           "created_at": "2026-11-30T03:15:00Z"}
          """
              .formatted(modelId, dim, rows, dtype.label());
      Files.writeString(dir.resolve(IndexFiles.MANIFEST), manifest, StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
