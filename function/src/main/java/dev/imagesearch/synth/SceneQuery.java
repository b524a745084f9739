package dev.imagesearch.synth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

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

  /**
   * The French translations of {@link #STANDARD}, in the same order, for the second (multilingual)
   * text tower; each is {@code Description.of(english).french()}.
   */
  public static final List<SceneQuery> STANDARD_FR =
      List.of(
              "un cercle rouge",
              "un carré bleu",
              "un triangle vert",
              "une étoile jaune",
              "un cercle orange",
              "une étoile violette",
              "un carré rose",
              "un triangle noir",
              "trois carrés verts",
              "deux étoiles rouges",
              "trois cercles bleus",
              "deux triangles jaunes",
              "deux cercles violets",
              "trois étoiles orange",
              "cercles rouges",
              "étoiles noires",
              "petites étoiles vertes",
              "grands carrés bleus",
              "grandes étoiles jaunes",
              "petits cercles noirs",
              "petits triangles roses",
              "grands triangles violets",
              "une grande étoile orange",
              "deux petits cercles verts",
              "trois petites étoiles jaunes",
              "deux petits triangles rouges")
          .stream()
          .map(SceneQuery::parse)
          .toList();

  /**
   * Reads the attributes from a query such as "a large yellow star" or « une grande étoile jaune »
   * (English or French words); rejects unknown words.
   */
  public static SceneQuery parse(String text) {
    ShapeColour colour = null;
    ShapeKind shape = null;
    Integer count = null;
    ShapeSize size = null;
    for (String word : text.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
      switch (word) {
        case "a", "an", "one", "un", "une" -> count = 1;
        case "two", "deux" -> count = 2;
        case "three", "trois" -> count = 3;
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
      if (c.word().equals(word) || anyAgreement(word, (f, p) -> French.colour(c, f, p))) {
        return c;
      }
    }
    return null;
  }

  private static ShapeSize sizeOf(String word) {
    for (ShapeSize s : ShapeSize.values()) {
      if (s.word().equals(word) || anyAgreement(word, (f, p) -> French.size(s, f, p))) {
        return s;
      }
    }
    return null;
  }

  private static ShapeKind shapeOf(String word) {
    for (ShapeKind k : ShapeKind.values()) {
      String french = French.noun(k);
      if (k.singular().equals(word)
          || k.plural().equals(word)
          || french.equals(word)
          || (french + "s").equals(word)) {
        return k;
      }
    }
    return null;
  }

  /** Whether {@code word} is one of the four gender and number forms of a French adjective. */
  private static boolean anyAgreement(String word, BiFunction<Boolean, Boolean, String> form) {
    for (boolean feminine : new boolean[] {false, true}) {
      for (boolean plural : new boolean[] {false, true}) {
        if (form.apply(feminine, plural).equals(word)) {
          return true;
        }
      }
    }
    return false;
  }
}
