package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The text side on the tiny model with ONNX Runtime (model tier, loaded once per class). */
class ClipTextEncoderTest {
  private static ClipModel fp32;

  @BeforeAll
  static void load() {
    fp32 =
        ClipModel.load(
            TinyClip.modelDir(),
            ClipModel.Options.defaults().withPrecision(ModelDirectory.Precision.FP32));
  }

  @AfterAll
  static void close() {
    fp32.close();
  }

  @Test
  void trimmedSequenceGivesThePaddedTo77Embedding() {
    ClipTextEncoder encoder = fp32.textEncoder();
    long[] ids = fp32.tokenizer().encode("three small red circles on a white background");
    long[] ones = new long[ids.length];
    Arrays.fill(ones, 1);
    // Padded as transformers pads CLIP: with <|endoftext|> ids and attention_mask 0.
    long[] padded = Arrays.copyOf(ids, ClipTokenizer.MAX_LENGTH);
    Arrays.fill(padded, ids.length, padded.length, fp32.tokenizer().endOfTextId());
    long[] mask = Arrays.copyOf(ones, ClipTokenizer.MAX_LENGTH);

    double cosine =
        Vectors.cosine(encoder.embedTokens(ids, ones), encoder.embedTokens(padded, mask));
    System.out.printf("trimmed vs padded-to-77 cosine (fp32): %.9f%n", cosine);
    assertTrue(cosine >= 0.99999, "cosine " + cosine);
  }

  @Test
  void embeddingsAreUnitLengthOfTheConfiguredDimension() {
    float[] e = fp32.embedText("a large yellow star");
    assertEquals(fp32.dim(), e.length);
    double norm = 0;
    for (float x : e) {
      norm += x * x;
    }
    assertEquals(1.0, Math.sqrt(norm), 1e-5);
    assertNotEquals(0f, e[0]);
  }

  @Test
  void sameTextSameEmbeddingAcrossThreads() throws Exception {
    float[] expected = fp32.embedText("two blue squares");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> fp32.embedText("two blue squares")));
      }
      for (Future<float[]> r : results) {
        assertArrayEquals(expected, r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void emptyQueryIsRejectedClearly() {
    ImageSearchException e = assertThrows(ImageSearchException.class, () -> fp32.embedText("  "));
    assertEquals("cannot embed an empty query text", e.getMessage());
  }

  @Test
  void askingForAnOutputTheModelLacksNamesTheOutputs() {
    try (OnnxSession session = OnnxSession.open(fp32.directory().textModel(), 1)) {
      ImageSearchException e =
          assertThrows(
              ImageSearchException.class,
              () ->
                  session.runLongs(
                      Map.of("input_ids", new long[] {1, 2}), new long[] {1, 2}, "logits"));
      assertTrue(
          e.getMessage()
              .startsWith(fp32.directory().textModel() + " has no output \"logits\" (outputs: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("text_embeds"), e.getMessage());
    }
  }

  @Test
  void quantizedModelAgreesWithFp32OnDirection() {
    try (ClipModel int8 = ClipModel.load(TinyClip.modelDir(), ClipModel.Options.defaults())) {
      assertTrue(int8.directory().quantized());
      double cosine =
          Vectors.cosine(int8.embedText("a red circle"), fp32.embedText("a red circle"));
      System.out.printf("int8 vs fp32 text embedding cosine: %.5f%n", cosine);
      assertTrue(cosine > 0.95, "cosine " + cosine);
    }
  }

  @Test
  void modelIdAndDimComeFromConfigJson() {
    assertEquals(fp32.directory().modelId(), fp32.modelId());
    assertEquals(fp32.directory().projectionDim(), fp32.textEncoder().dim());
  }
}
