package dev.imagesearch.bench;

import dev.imagesearch.clip.ClipImagePreprocessor;
import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.e2e.RelevanceConfusion;
import dev.imagesearch.index.Calibrator;
import dev.imagesearch.search.CalibratedJudge;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.search.QueryKind;
import dev.imagesearch.search.ScanPool;
import dev.imagesearch.search.ScoreStats;
import dev.imagesearch.search.Searcher;
import dev.imagesearch.search.ThresholdJudge;
import dev.imagesearch.synth.Scene;
import dev.imagesearch.synth.SceneGenerator;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What calibration costs, and what it says about a model that cannot match anything. Dev command
 * (not part of {@code make test}; needs the full-size random-weight model of {@code make
 * bench-model}):
 *
 * <pre>
 * make bench-calibration   # = CalibrationBenchmark work-data/bench-model 50000 600
 * </pre>
 *
 * <ol>
 *   <li>calibration time against {@code rows} rows (random unit rows: a scan's cost does not depend
 *       on the values) next to the vision model's time per image, extrapolated to the same rows;
 *   <li>query-time cost of the calibrated verdict: median search time at {@code rows} rows with the
 *       calibrated judge and with fixed thresholds, interleaved, and the judge alone;
 *   <li>the confusion table of the random-weight model on a generated gallery of {@code gallery}
 *       scenes.
 * </ol>
 */
public final class CalibrationBenchmark {
  private CalibrationBenchmark() {}

  public static void main(String[] args) {
    Path modelDir = Path.of(args.length > 0 ? args[0] : "work-data/bench-model");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    int gallery = args.length > 2 ? Integer.parseInt(args[2]) : 600;
    try (ClipModel model = ClipModel.load(modelDir, ClipModel.Options.defaults())) {
      int dim = model.dim();
      EmbeddingMatrix matrix = randomRows(rows, dim);
      model.embedText("warm up");
      long start = System.nanoTime();
      Calibration calibration =
          Calibrator.measure(matrix, model.modelId(), model, model.directory().tokenizerJson());
      double calibrationS = (System.nanoTime() - start) / 1e9;

      SceneGenerator generator = new SceneGenerator();
      List<Scene> scenes = generator.scenes(99, gallery);
      ClipImagePreprocessor preprocessor = model.imageEncoder().preprocessor();
      model
          .imageEncoder()
          .embedPreprocessed(List.of(preprocessor.preprocess(generator.render(scenes.get(0)))));
      EmbeddingMatrix.Builder embedded = EmbeddingMatrix.builder(gallery, dim);
      start = System.nanoTime();
      for (Scene scene : scenes) {
        float[] pixels = preprocessor.preprocess(generator.render(scene));
        embedded.add(model.imageEncoder().embedPreprocessed(List.of(pixels))[0]);
      }
      double perImageS = (System.nanoTime() - start) / 1e9 / gallery;
      System.out.printf(
          Locale.ROOT,
          "calibration against %,d rows: %.1f s; rendering + preprocessing + vision model: %.1f ms"
              + " per image, so %,d images take at least %.0f s to embed: calibration adds %.2f %%%n",
          rows,
          calibrationS,
          perImageS * 1e3,
          rows,
          perImageS * rows,
          100 * calibrationS / (perImageS * rows));

      queryCost(matrix, calibration, model);

      EmbeddingMatrix galleryMatrix = embedded.build();
      Calibration galleryCalibration =
          Calibrator.measure(
              galleryMatrix, model.modelId(), model, model.directory().tokenizerJson());
      Searcher searcher =
          new Searcher(
              galleryMatrix,
              CalibratedJudge.of(galleryCalibration, model.modelId()).orElseThrow(),
              ScanPool.CALLER_ONLY);
      System.out.println(
          "text null: "
              + RelevanceConfusion.describe(
                  galleryCalibration.text(model.modelId()).orElseThrow()));
      RelevanceConfusion c =
          RelevanceConfusion.measure(
              scenes,
              q ->
                  searcher
                      .search(model.embedText(q), 10, 0)
                      .verdict()
                      .name()
                      .toLowerCase(Locale.ROOT));
      System.out.print(c.format("random-weight model on " + gallery + " generated scenes"));
      int all = 0;
      int strong = 0;
      for (RelevanceConfusion.Group g : RelevanceConfusion.Group.values()) {
        all += c.total(g);
        strong += c.count(g, "strong");
      }
      System.out.printf(
          Locale.ROOT,
          "not strong: %d of %d queries (%.1f %%)%n",
          all - strong,
          all,
          100.0 * (all - strong) / all);
    }
  }

  private static void queryCost(EmbeddingMatrix matrix, Calibration calibration, ClipModel model) {
    Searcher plain = new Searcher(matrix, ThresholdJudge.DEFAULTS, ScanPool.CALLER_ONLY);
    CalibratedJudge judge = CalibratedJudge.of(calibration, model.modelId()).orElseThrow();
    Searcher calibrated = new Searcher(matrix, judge, ScanPool.CALLER_ONLY);
    float[] query = model.embedText("a red circle");
    int n = 300;
    long[] a = new long[n];
    long[] b = new long[n];
    for (int i = 0; i < n + 50; i++) {
      long t0 = System.nanoTime();
      plain.search(query, 10, 0);
      long t1 = System.nanoTime();
      ScoreStats stats = calibrated.search(query, 10, 0).stats();
      long t2 = System.nanoTime();
      if (i >= 50) {
        a[i - 50] = t1 - t0;
        b[i - 50] = t2 - t1;
      }
      if (stats.count() == 0) throw new IllegalStateException();
    }
    ScoreStats stats = plain.search(query, 10, 0).stats();
    long t0 = System.nanoTime();
    int reps = 1_000_000;
    double sink = 0;
    for (int i = 0; i < reps; i++) {
      sink += judge.judge(stats, QueryKind.TEXT).bestStanding();
      for (int h = 0; h < 10; h++)
        sink += judge.relevance(stats.max() - h * 1e-3f, stats, QueryKind.TEXT);
    }
    double judgeNs = (System.nanoTime() - t0) / (double) reps;
    System.out.printf(
        Locale.ROOT,
        "search at %,d rows, median of %d: fixed thresholds %.3f ms, calibrated %.3f ms;"
            + " verdict + 10 hit relevances alone: %.0f ns (%s)%n",
        matrix.rows(),
        n,
        median(a) / 1e6,
        median(b) / 1e6,
        judgeNs,
        sink > 0 ? "ok" : "?");
  }

  private static double median(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }

  private static EmbeddingMatrix randomRows(int rows, int dim) {
    SplittableRandom random = new SplittableRandom(5);
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(rows, dim);
    float[] row = new float[dim];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        row[j] = (float) (random.nextDouble() - 0.5);
        norm += row[j] * row[j];
      }
      for (int j = 0; j < dim; j++) row[j] /= (float) Math.sqrt(norm);
      b.add(row);
    }
    return b.build();
  }
}
