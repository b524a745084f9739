package dev.imagesearch.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
  private final SceneGenerator generator = new SceneGenerator();

  @Test
  void sameSeedGivesSameScenesAndPixels() {
    List<Scene> a = generator.scenes(42, 20);
    List<Scene> b = generator.scenes(42, 20);
    assertEquals(a, b);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(pixels(generator.render(a.get(i))), pixels(generator.render(b.get(i))));
    }
    assertNotEquals(a, generator.scenes(43, 20));
  }

  @Test
  void sceneDependsOnlyOnSeedAndIndex() {
    // The first 5 scenes of a 300-scene gallery are the 5 scenes of a 5-scene gallery.
    assertEquals(generator.scenes(7, 5), generator.scenes(7, 300).subList(0, 5));
  }

  @Test
  void captionNamesCountSizeColourShapeAndBackground() {
    Scene one = scene(ShapeKind.CIRCLE, ShapeColour.RED, 1, ShapeSize.LARGE, Background.GRAY);
    Scene two = scene(ShapeKind.TRIANGLE, ShapeColour.BLUE, 2, ShapeSize.SMALL, Background.WHITE);
    Scene three =
        scene(ShapeKind.STAR, ShapeColour.PINK, 3, ShapeSize.SMALL, Background.LIGHT_BLUE);
    assertEquals("a large red circle on a gray background", one.caption());
    assertEquals("two small blue triangles on a white background", two.caption());
    assertEquals("three small pink stars on a light blue background", three.caption());
  }

  @Test
  void galleryCoversEveryAttributeAndVariesImageSize() {
    List<Scene> scenes = generator.scenes(1, 500);
    assertEquals(Set.of(ShapeKind.values()), collect(scenes, Scene::shape));
    assertEquals(Set.of(ShapeColour.values()), collect(scenes, Scene::colour));
    assertEquals(Set.of(1, 2, 3), collect(scenes, Scene::count));
    assertEquals(Set.of(Background.values()), collect(scenes, Scene::background));
    assertTrue(scenes.stream().anyMatch(s -> s.width() > 1.5 * s.height()), "landscape images");
    assertTrue(scenes.stream().anyMatch(s -> s.height() > 1.5 * s.width()), "portrait images");
    for (Scene s : scenes) {
      assertTrue(s.width() >= 160 && s.width() <= 640 && s.height() >= 160 && s.height() <= 640);
    }
  }

  @Test
  void shapesStayInsideTheCentralSquareAndApart() {
    for (Scene s : generator.scenes(3, 300)) {
      double side = Math.min(s.width(), s.height());
      double left = (s.width() - side) / 2;
      double top = (s.height() - side) / 2;
      for (Placement p : s.placements()) {
        assertTrue(p.x() - p.radius() >= left && p.x() + p.radius() <= left + side, s.toString());
        assertTrue(p.y() - p.radius() >= top && p.y() + p.radius() <= top + side, s.toString());
      }
      for (int i = 0; i < s.count(); i++) {
        for (int j = i + 1; j < s.count(); j++) {
          Placement a = s.placements().get(i);
          Placement b = s.placements().get(j);
          assertTrue(Math.hypot(a.x() - b.x(), a.y() - b.y()) > a.radius() + b.radius());
        }
      }
    }
  }

  @Test
  void renderPaintsBackgroundAtCornersAndShapeColourAtCentres() {
    for (Scene s : generator.scenes(5, 50)) {
      BufferedImage image = generator.render(s);
      assertEquals(s.width(), image.getWidth());
      assertEquals(s.background().rgb().getRGB(), image.getRGB(0, 0));
      Placement p = s.placements().get(0);
      assertEquals(s.colour().rgb().getRGB(), image.getRGB((int) p.x(), (int) p.y()), s.caption());
    }
  }

  private static Scene scene(
      ShapeKind shape, ShapeColour colour, int count, ShapeSize size, Background background) {
    List<Placement> placements =
        java.util.stream.IntStream.range(0, count)
            .mapToObj(i -> new Placement(50 + 60 * i, 100, 20, 0))
            .toList();
    return new Scene(shape, colour, count, size, background, 200, 200, placements);
  }

  private static <T> Set<T> collect(List<Scene> scenes, java.util.function.Function<Scene, T> f) {
    return scenes.stream().map(f).collect(Collectors.toSet());
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
