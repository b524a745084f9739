package dev.imagesearch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.TextEmbedder;
import dev.imagesearch.clip.TextTower;
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

  /** A model with a second tower: the multilingual one has its own id and its own vectors. */
  private static final class TwoTowers implements TextEmbedder {
    final CountingEmbedder english = new CountingEmbedder();
    final CountingEmbedder multilingual = new CountingEmbedder();

    TwoTowers() {
      multilingual.modelId = "model-a+multilingual";
    }

    @Override
    public float[] embedText(String text) {
      return english.embedText(text);
    }

    @Override
    public int dim() {
      return 2;
    }

    @Override
    public String modelId() {
      return english.modelId();
    }

    @Override
    public TextEmbedder tower(TextTower wanted) {
      return wanted == TextTower.MULTILINGUAL
          ? new TextEmbedder() {
            @Override
            public float[] embedText(String text) {
              return multilingual.embedText(text);
            }

            @Override
            public int dim() {
              return 2;
            }

            @Override
            public String modelId() {
              return multilingual.modelId;
            }

            @Override
            public TextTower tower() {
              return TextTower.MULTILINGUAL;
            }
          }
          : this;
    }
  }

  @Test
  void eachTowerHasItsOwnCacheEntriesAndTheAnswerNamesTheTower() {
    TwoTowers model = new TwoTowers();
    QueryEmbedder embedder = new QueryEmbedder(new Lazy<>(() -> model), 16);

    QueryEmbedder.Embedded en = embedder.embed(QueryExpression.parse("chat"), TextTower.ENGLISH);
    QueryEmbedder.Embedded fr =
        embedder.embed(QueryExpression.parse("chat"), TextTower.MULTILINGUAL);
    QueryEmbedder.Embedded frAgain =
        embedder.embed(QueryExpression.parse("chat"), TextTower.MULTILINGUAL);

    assertEquals(TextTower.ENGLISH, en.tower());
    assertEquals(TextTower.MULTILINGUAL, fr.tower());
    assertFalse(fr.cached(), "the English tower's vector is never served for the other tower");
    assertTrue(frAgain.cached());
    assertEquals(List.of("model-a:chat"), model.english.encoded);
    assertEquals(List.of("model-a+multilingual:chat"), model.multilingual.encoded);
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
