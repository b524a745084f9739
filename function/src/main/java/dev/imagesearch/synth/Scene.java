package dev.imagesearch.synth;

import java.util.List;

/**
 * One synthetic image: {@code count} identical shapes on a plain background, with the layout that
 * places them. Every shape lies inside the image's central square, so CLIP's centre crop never cuts
 * one away.
 *
 * <pre>{@code
 * Scene s = new SceneGenerator().scenes(7, 1).get(0);
 * s.caption();       // "two small blue triangles on a white background"
 * s.frenchCaption(); // "deux petits triangles bleus sur fond blanc"
 * }</pre>
 */
public record Scene(
    ShapeKind shape,
    ShapeColour colour,
    int count,
    ShapeSize size,
    Background background,
    int width,
    int height,
    List<Placement> placements) {

  private static final String[] COUNT_WORDS = {"a", "two", "three"};

  public Scene {
    if (count < 1 || count > 3) {
      throw new IllegalArgumentException("count must be 1..3, got " + count);
    }
    if (placements.size() != count) {
      throw new IllegalArgumentException("need " + count + " placements, got " + placements.size());
    }
    placements = List.copyOf(placements);
  }

  /** The count as a caption word: "a", "two" or "three". */
  public static String countWord(int count) {
    return COUNT_WORDS[count - 1];
  }

  /** E.g. "a large red circle on a gray background". */
  public String caption() {
    return Description.of(this).english();
  }

  /** The same caption in French, e.g. « une grande étoile rouge sur fond gris ». */
  public String frenchCaption() {
    return Description.of(this).french();
  }
}
