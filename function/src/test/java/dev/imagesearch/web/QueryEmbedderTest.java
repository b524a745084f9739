package dev.imagesearch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.TextEmbedder;
import dev.imagesearch.search.QueryExpression;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The query-embedding cache: one encode per new term, and never a vector of another model. */
class QueryEmbedderTest {

  /** Our own {@link TextEmbedder} interface, answering 2-d vectors that name the model. */
  private static final class CountingEmbedder implements TextEmbedder {
    final List<String> encoded = new ArrayList<>();
    String modelId = "model-a";

    @Override
    public float[] embedText(String text) {
      encoded.add(modelId + ":" + text);
      return modelId.equals("model-a") ? new float[] {1, 0} : new float[] {0, 1};
    }

    @Override
    public int dim() {
      return 2;
    }

    @Override
    public String modelId() {
      return modelId;
    }
  }

  @Test
  void aRepeatedTermIsEncodedOnceAndReportedCached() {
    CountingEmbedder model = new CountingEmbedder();
    QueryEmbedder embedder = new QueryEmbedder(new Lazy<>(() -> model), 16);

    QueryEmbedder.Embedded first = embedder.embed(QueryExpression.parse("cats"));
    QueryEmbedder.Embedded second = embedder.embed(QueryExpression.parse("cats"));

    assertFalse(first.cached());
    assertTrue(second.cached());
    assertEquals(0, second.encodeNanos());
    assertEquals(List.of("model-a:cats"), model.encoded);
    assertArrayEquals(new float[] {1, 0}, second.vector());
  }

  @Test
  void anotherModelNeverGetsTheCachedVectorOfTheFirst() {
    CountingEmbedder model = new CountingEmbedder();
    QueryEmbedder embedder = new QueryEmbedder(new Lazy<>(() -> model), 16);
    embedder.embed(QueryExpression.parse("cats"));

    model.modelId = "model-b";
    QueryEmbedder.Embedded after = embedder.embed(QueryExpression.parse("cats"));

    assertFalse(after.cached());
    assertEquals(List.of("model-a:cats", "model-b:cats"), model.encoded);
    assertArrayEquals(new float[] {0, 1}, after.vector());
  }

  @Test
  void aModelThatCannotLoadMeansNotReady() {
    QueryEmbedder embedder =
        new QueryEmbedder(
            new Lazy<TextEmbedder>(
                () -> {
                  throw new ImageSearchException("model file missing: /m/tokenizer.json");
                }),
            16);
    NotReadyException e =
        assertThrows(NotReadyException.class, () -> embedder.embed(QueryExpression.parse("x")));
    assertEquals(
        "the model is not available: model file missing: /m/tokenizer.json", e.getMessage());
    assertFalse(embedder.loaded());
  }
}
