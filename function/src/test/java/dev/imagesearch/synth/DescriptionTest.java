package dev.imagesearch.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DescriptionTest {
  private static Description of(
      ShapeColour colour, ShapeKind shape, Integer count, ShapeSize size, Background background) {
    return new Description(
        Optional.ofNullable(colour),
        Optional.ofNullable(shape),
        Optional.ofNullable(count),
        Optional.ofNullable(size),
        Optional.ofNullable(background));
  }

  @Test
  void frenchAgreesInGenderAndNumberWithSizeBeforeAndColourAfterTheNoun() {
    assertEquals(
        "une petite étoile jaune",
        of(ShapeColour.YELLOW, ShapeKind.STAR, 1, ShapeSize.SMALL, null).french());
    assertEquals(
        "deux grands carrés bleus sur fond gris",
        of(ShapeColour.BLUE, ShapeKind.SQUARE, 2, ShapeSize.LARGE, Background.GRAY).french());
    assertEquals(
        "trois petites étoiles violettes sur fond bleu clair",
        of(ShapeColour.PURPLE, ShapeKind.STAR, 3, ShapeSize.SMALL, Background.LIGHT_BLUE).french());
    assertEquals(
        "un grand cercle violet sur fond beige",
        of(ShapeColour.PURPLE, ShapeKind.CIRCLE, 1, ShapeSize.LARGE, Background.BEIGE).french());
    assertEquals(
        "une grande étoile noire sur fond blanc",
        of(ShapeColour.BLACK, ShapeKind.STAR, 1, ShapeSize.LARGE, Background.WHITE).french());
  }

  @Test
  void orangeIsInvariableAndRoseAgrees() {
    assertEquals(
        "trois étoiles orange", of(ShapeColour.ORANGE, ShapeKind.STAR, 3, null, null).french());
    assertEquals(
        "deux triangles roses", of(ShapeColour.PINK, ShapeKind.TRIANGLE, 2, null, null).french());
    assertEquals("une étoile verte", of(ShapeColour.GREEN, ShapeKind.STAR, 1, null, null).french());
  }

  @Test
  void missingCountIsABarePluralAndMissingShapeIsForme() {
    assertEquals(
        "cercles rouges", of(ShapeColour.RED, ShapeKind.CIRCLE, null, null, null).french());
    assertEquals("petites formes", of(null, null, null, ShapeSize.SMALL, null).french());
    assertEquals("une forme noire", of(ShapeColour.BLACK, null, 1, null, null).french());
    assertEquals("grands carrés", of(null, ShapeKind.SQUARE, null, ShapeSize.LARGE, null).french());
  }

  @Test
  void englishMatchesTheTrainingGrammar() {
    // The grammar of function/tools/tinyclip/scenes.py phrase(): "an" before a vowel, bare plurals.
    assertEquals(
        "an orange circle", of(ShapeColour.ORANGE, ShapeKind.CIRCLE, 1, null, null).english());
    assertEquals(
        "a large orange star",
        of(ShapeColour.ORANGE, ShapeKind.STAR, 1, ShapeSize.LARGE, null).english());
    assertEquals("red shapes", of(ShapeColour.RED, null, null, null, null).english());
    assertEquals(
        "two small blue triangles on a white background",
        of(ShapeColour.BLUE, ShapeKind.TRIANGLE, 2, ShapeSize.SMALL, Background.WHITE).english());
  }

  @Test
  void frenchStandardQueriesTranslateTheEnglishOnesAndParseToTheSameAttributes() {
    assertEquals(SceneQuery.STANDARD.size(), SceneQuery.STANDARD_FR.size());
    for (int i = 0; i < SceneQuery.STANDARD.size(); i++) {
      SceneQuery en = SceneQuery.STANDARD.get(i);
      SceneQuery fr = SceneQuery.STANDARD_FR.get(i);
      assertEquals(Description.of(en).french(), fr.text());
      assertEquals(
          List.of(en.colour(), en.shape(), en.count(), en.size()),
          List.of(fr.colour(), fr.shape(), fr.count(), fr.size()),
          fr.text());
    }
  }

  @Test
  void sceneCaptionsInBothLanguages() {
    Scene scene =
        new Scene(
            ShapeKind.SQUARE,
            ShapeColour.BLUE,
            2,
            ShapeSize.LARGE,
            Background.GRAY,
            300,
            200,
            List.of(new Placement(100, 100, 20, 0), new Placement(200, 100, 20, 0)));
    assertEquals("two large blue squares on a gray background", scene.caption());
    assertEquals("deux grands carrés bleus sur fond gris", scene.frenchCaption());
  }
}
