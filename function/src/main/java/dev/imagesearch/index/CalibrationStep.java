package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.store.CalibrationJson;
import dev.imagesearch.store.IndexFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Measures the calibration of a staged version and writes {@code calibration.json} beside its
 * manifest (the publisher lists its sha256 like every other file). Loads the model's text tower for
 * the reference texts; the vision tower is not touched.
 */
final class CalibrationStep {
  private CalibrationStep() {}

  static void writeInto(
      Path staging, EmbeddingMatrix matrix, ModelDirectory model, int threads, PrintStream log) {
    long start = System.nanoTime();
    Calibration calibration;
    try (ClipModel text =
        ClipModel.load(
            model, new ClipModel.Options(ModelDirectory.Precision.PREFER_QUANTIZED, threads, 1))) {
      calibration = Calibrator.measure(matrix, model.modelId(), text, model.tokenizerJson());
    }
    try {
      Files.write(staging.resolve(IndexFiles.CALIBRATION), CalibrationJson.write(calibration));
    } catch (IOException e) {
      throw new ImageSearchException("cannot write in " + staging + ": " + e.getMessage(), e);
    }
    log.printf(
        Locale.ROOT,
        "calibrated relevance: %d reference texts and %d synthetic images against %d rows in"
            + " %.1f s%n",
        Calibrator.TEXTS,
        Calibrator.IMAGES,
        matrix.rows(),
        (System.nanoTime() - start) / 1e9);
  }

  /** The rows as a matrix, in index order. */
  static EmbeddingMatrix matrixOf(List<EmbeddedRow> rows, int dim) {
    EmbeddingMatrix.Builder builder = EmbeddingMatrix.builder(rows.size(), dim);
    for (EmbeddedRow row : rows) {
      builder.add(row.floats());
    }
    return builder.build();
  }
}
