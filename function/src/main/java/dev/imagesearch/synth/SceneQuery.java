package dev.imagesearch.synth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A compositional query over synthetic scenes ("two small blue triangles") with the attributes it
 * names; an attribute it does not name matches anything. A scene is relevant when every named
 * attribute matches, which is what retrieval-quality tests count as a hit.
 *
 * <pre>{@code
 * SceneQuery q = SceneQuery.parse("three green squares");
 * q.count();        // Optional[3]
 * q.matches(scene); // true for any size and background
 * }</pre>
 *
 * <p>"a"/"an"/"one" name a count of one; a plural without a number ("red circles") leaves the count
 * open.
 *
 * @param text the query as a person types it
 */
public record SceneQuery(
    String text,
    Optional<ShapeColour> colour,
    Optional<ShapeKind> shape,
    Optional<Integer> count,
    Optional<ShapeSize> size) {

  /**
   * The queries the retrieval-quality tests rank a held-out gallery with. Each names at least two
   * attributes; those naming all four were checked to have at least 10 relevant images in a
   * 2,000-image gallery from seed 2.
   */
  public static final List<SceneQuery> STANDARD =
      List.of(
              "a red circle",
              "a blue square",
              "a green triangle",
              "a yellow star",
              "an orange circle",
              "a purple star",
              "a pink square",
              "a black triangle",
              "three green squares",
              "two red stars",
              "three blue circles",
              "two yellow triangles",
              "two purple circles",
              "three orange stars",
              "red circles",
              "black stars",
              "small green stars",
              "large blue squares",
              "large yellow stars",
              "small black circles",
              "small pink triangles",
              "large purple triangles",
              "a large orange star",
              "two small green circles",
              "three small yellow stars",
              "two small red triangles")
          .stream()
          .map(SceneQuery::parse)
          .toList();

  /** Reads the attributes from a query such as "a large yellow star"; rejects unknown words. */
  public static SceneQuery parse(String text) {
    ShapeColour colour = null;
    ShapeKind shape = null;
    Integer count = null;
    ShapeSize size = null;
    for (String word : text.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
      switch (word) {
        case "a", "an", "one" -> count = 1;
        case "two" -> count = 2;
        case "three" -> count = 3;
        default -> {
          ShapeColour c = colourOf(word);
          ShapeSize s = sizeOf(word);
          ShapeKind k = shapeOf(word);
          if (c != null) {
            colour = c;
          } else if (s != null) {
            size = s;
          } else if (k != null) {
            shape = k;
          } else {
            throw new IllegalArgumentException(
                "unknown word '" + word + "' in scene query '" + text + "'");
          }
        }
      }
    }
    return new SceneQuery(
        text,
        Optional.ofNullable(colour),
        Optional.ofNullable(shape),
        Optional.ofNullable(count),
        Optional.ofNullable(size));
  }

  /** True when every attribute this query names equals the scene's. */
  public boolean matches(Scene scene) {
    return colour.map(c -> c == scene.colour()).orElse(true)
        && shape.map(k -> k == scene.shape()).orElse(true)
        && count.map(n -> n == scene.count()).orElse(true)
        && size.map(s -> s == scene.size()).orElse(true);
  }

  private static ShapeColour colourOf(String word) {
    for (ShapeColour c : ShapeColour.values()) {
      if (c.word().equals(word)) {
        return c;
      }
    }
    return null;
  }

  private static ShapeSize sizeOf(String word) {
    for (ShapeSize s : ShapeSize.values()) {
      if (s.word().equals(word)) {
        return s;
      }
    }
    return null;
  }

  private static ShapeKind shapeOf(String word) {
    for (ShapeKind k : ShapeKind.values()) {
      if (k.singular().equals(word) || k.plural().equals(word)) {
        return k;
      }
    }
    return null;
  }
}
