package dev.imagesearch.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SceneQueryTest {
  private static final List<Placement> THREE =
      List.of(
          new Placement(10, 10, 5, 0), new Placement(30, 10, 5, 0), new Placement(50, 10, 5, 0));

  private static final Scene THREE_SMALL_GREEN_SQUARES =
      new Scene(
          ShapeKind.SQUARE,
          ShapeColour.GREEN,
          3,
          ShapeSize.SMALL,
          Background.BEIGE,
          300,
          200,
          THREE);

  @Test
  void parsesEveryAttributeItNames() {
    SceneQuery q = SceneQuery.parse("Two small blue triangles");
    assertEquals(Optional.of(2), q.count());
    assertEquals(Optional.of(ShapeSize.SMALL), q.size());
    assertEquals(Optional.of(ShapeColour.BLUE), q.colour());
    assertEquals(Optional.of(ShapeKind.TRIANGLE), q.shape());
  }

  @Test
  void articleMeansOneAndBarePluralLeavesCountOpen() {
    assertEquals(Optional.of(1), SceneQuery.parse("an orange circle").count());
    assertEquals(Optional.empty(), SceneQuery.parse("red circles").count());
    assertEquals(Optional.empty(), SceneQuery.parse("red circles").size());
  }

  @Test
  void matchesWhenEveryNamedAttributeMatches() {
    assertTrue(SceneQuery.parse("three green squares").matches(THREE_SMALL_GREEN_SQUARES));
    assertTrue(SceneQuery.parse("green squares").matches(THREE_SMALL_GREEN_SQUARES));
    assertTrue(SceneQuery.parse("small green squares").matches(THREE_SMALL_GREEN_SQUARES));
    assertFalse(SceneQuery.parse("a green square").matches(THREE_SMALL_GREEN_SQUARES));
    assertFalse(SceneQuery.parse("large green squares").matches(THREE_SMALL_GREEN_SQUARES));
    assertFalse(SceneQuery.parse("three red squares").matches(THREE_SMALL_GREEN_SQUARES));
    assertFalse(SceneQuery.parse("three green circles").matches(THREE_SMALL_GREEN_SQUARES));
  }

  @Test
  void rejectsUnknownWordsNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SceneQuery.parse("a red dog"));
    assertEquals("unknown word 'dog' in scene query 'a red dog'", e.getMessage());
  }

  @Test
  void standardQueriesEachHaveTenRelevantImagesInTheHeldOutGallery() {
    // Seed 2, 2,000 images: the held-out gallery of the retrieval-quality tests.
    List<Scene> gallery = new SceneGenerator().scenes(2, 2000);
    assertTrue(SceneQuery.STANDARD.size() >= 20);
    for (SceneQuery q : SceneQuery.STANDARD) {
      long relevant = gallery.stream().filter(q::matches).count();
      assertTrue(relevant >= 10, q.text() + " has only " + relevant + " relevant images");
      int named =
          (q.colour().isPresent() ? 1 : 0)
              + (q.shape().isPresent() ? 1 : 0)
              + (q.count().isPresent() ? 1 : 0)
              + (q.size().isPresent() ? 1 : 0);
      assertTrue(named >= 2, q.text());
    }
  }
}
