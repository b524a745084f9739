package dev.imagesearch.index;

import dev.imagesearch.clip.TextEmbedder;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.search.NullSample;
import dev.imagesearch.search.QueryNull;
import dev.imagesearch.search.ScanPool;
import dev.imagesearch.search.ScanSettings;
import dev.imagesearch.search.ScoreStats;
import dev.imagesearch.search.Searcher;
import dev.imagesearch.search.ThresholdJudge;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures how a collection answers queries that should match nothing, for {@link
 * dev.imagesearch.search.CalibratedJudge}:
 *
 * <ul>
 *   <li>texts: {@value #TEXTS} nonsense texts from the model's own tokenizer ({@link
 *       ReferenceQueries}), encoded once here by the text tower, each scanned against the whole
 *       collection;
 *   <li>images ("more like this"): {@value #IMAGES} synthetic image embeddings drawn from the
 *       collection's own per-dimension mean and spread: typical of the collection, yet no image of
 *       it.
 * </ul>
 *
 * For each, the best cosine and the spread (best minus mean cosine) are kept. Deterministic: the
 * same collection and model give the same numbers. Costs {@value #TEXTS} text encodings plus {@code
 * TEXTS + IMAGES} scans, independent of how many images were embedded this run.
 *
 * <pre>{@code
 * Calibration c = Calibrator.measure(matrix, model.modelId(), model, model.directory().tokenizerJson());
 * }</pre>
 */
public final class Calibrator {
  static final int TEXTS = 480;
  static final int IMAGES = 480;
  private static final long SEED = 13;

  private Calibrator() {}

  /**
   * The calibration of {@code matrix} (the index's rows, made by model {@code modelId}) for the
   * text tower {@code text} whose tokenizer is {@code tokenizerJson}.
   */
  public static Calibration measure(
      EmbeddingMatrix matrix, String modelId, TextEmbedder text, Path tokenizerJson) {
    try (ScanPool pool = ScanPool.start(ScanSettings.DEFAULTS)) {
      Searcher searcher = new Searcher(matrix, ThresholdJudge.DEFAULTS, pool);
      return new Calibration(
          modelId,
          Map.of(text.modelId(), textNull(searcher, text, tokenizerJson)),
          imageNull(searcher, matrix));
    }
  }

  /** The null of one text tower, for adding a second tower's entry to a calibration. */
  public static QueryNull textNull(Searcher searcher, TextEmbedder text, Path tokenizerJson) {
    List<String> texts = ReferenceQueries.generate(tokenizerJson, TEXTS, SEED);
    double[] best = new double[texts.size()];
    double[] spread = new double[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      ScoreStats s = searcher.search(text.embedText(texts.get(i)), 1, 0).stats();
      best[i] = s.max();
      spread[i] = (double) s.max() - s.mean();
    }
    return new QueryNull(NullSample.of(best), NullSample.of(spread));
  }

  private static QueryNull imageNull(Searcher searcher, EmbeddingMatrix matrix) {
    int dim = matrix.dim();
    double[] mean = new double[dim];
    double[] square = new double[dim];
    for (int r = 0; r < matrix.rows(); r++) {
      float[] row = matrix.row(r);
      for (int j = 0; j < dim; j++) {
        mean[j] += row[j];
        square[j] += (double) row[j] * row[j];
      }
    }
    double[] sd = new double[dim];
    for (int j = 0; j < dim; j++) {
      mean[j] /= matrix.rows();
      sd[j] = Math.sqrt(Math.max(0, square[j] / matrix.rows() - mean[j] * mean[j]));
    }
    SplittableRandom random = new SplittableRandom(SEED);
    double[] best = new double[IMAGES];
    double[] spread = new double[IMAGES];
    float[] synthetic = new float[dim];
    for (int i = 0; i < IMAGES; i++) {
      for (int j = 0; j < dim; j++) {
        synthetic[j] = (float) (mean[j] + sd[j] * gaussian(random));
      }
      ScoreStats s = searcher.searchImage(synthetic, 1, 0).stats();
      best[i] = s.max();
      spread[i] = (double) s.max() - s.mean();
    }
    return new QueryNull(NullSample.of(best), NullSample.of(spread));
  }

  /** A standard normal draw (Box-Muller), from the seeded generator so runs repeat exactly. */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
