package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.clip.ClipImagePreprocessor;
import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.index.Calibrator;
import dev.imagesearch.search.CalibratedJudge;
import dev.imagesearch.search.Calibration;
import dev.imagesearch.search.EmbeddingMatrix;
import dev.imagesearch.search.ScanPool;
import dev.imagesearch.search.Searcher;
import dev.imagesearch.synth.Scene;
import dev.imagesearch.synth.SceneGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Honest relevance on a held-out generated gallery of more than 2,000 scenes (a seed the tiny model
 * never trained on) from which about a tenth of the count-size-colour-shape combinations were
 * removed, so the grammar describes things the gallery lacks although everything around them is
 * there. The gallery is embedded once with the int8 vision model, calibrated by the same {@link
 * Calibrator} the indexer runs at publish time, and judged with the {@link CalibratedJudge} the
 * service uses.
 */
class HeldOutRelevanceTest {
  static final long SEED = 515_151L;
  static final int GENERATED = 2_300;

  private static ClipModel model;
  private static List<Scene> scenes;
  private static Searcher searcher;

  @BeforeAll
  static void embedAndCalibrate() {
    model = ClipModel.load(DemoCollection.TINY_MODEL, ClipModel.Options.defaults());
    SceneGenerator generator = new SceneGenerator();
    scenes = new ArrayList<>(generator.scenes(SEED, GENERATED));
    scenes.removeIf(HeldOutRelevanceTest::removed);
    assertTrue(scenes.size() >= 2_000, scenes.size() + " scenes");
    ClipImagePreprocessor preprocessor = model.imageEncoder().preprocessor();
    EmbeddingMatrix.Builder rows = EmbeddingMatrix.builder(scenes.size(), model.dim());
    for (int from = 0; from < scenes.size(); from += 32) {
      List<float[]> pixels =
          IntStream.range(from, Math.min(scenes.size(), from + 32))
              .parallel()
              .mapToObj(i -> preprocessor.preprocess(generator.render(scenes.get(i))))
              .toList();
      for (float[] row : model.imageEncoder().embedPreprocessed(pixels)) rows.add(row);
    }
    EmbeddingMatrix matrix = rows.build();
    Calibration calibration =
        Calibrator.measure(matrix, model.modelId(), model, model.directory().tokenizerJson());
    System.out.println(
        "held-out text null: "
            + RelevanceConfusion.describe(calibration.text(model.modelId()).orElseThrow()));
    System.out.println("held-out image null: " + RelevanceConfusion.describe(calibration.images()));
    searcher =
        new Searcher(
            matrix,
            CalibratedJudge.of(calibration, model.modelId()).orElseThrow(),
            ScanPool.CALLER_ONLY);
  }

  /** About one combination in ten, spread over every attribute, is left out of the gallery. */
  static boolean removed(Scene s) {
    return (s.colour().ordinal() * 7
                + s.shape().ordinal() * 3
                + s.count() * 5
                + s.size().ordinal() * 11)
            % 10
        == 0;
  }

  @AfterAll
  static void close() {
    if (model != null) model.close();
  }

  @Test
  void descriptionsHeldAreStrongThoseLackedAndNonsenseAreNot() {
    RelevanceConfusion c =
        RelevanceConfusion.measure(
            scenes,
            q ->
                searcher
                    .search(model.embedText(q), 10, 0)
                    .verdict()
                    .name()
                    .toLowerCase(Locale.ROOT));
    c.assertAcceptance(
        "held-out gallery ("
            + scenes.size()
            + " scenes, seed "
            + SEED
            + "), tiny model, calibrated");
  }
}
