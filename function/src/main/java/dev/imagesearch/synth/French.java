package dev.imagesearch.synth;

/**
 * The French words of the scene grammar and their agreement: shape nouns carry a gender, size
 * adjectives stand before the noun and colour adjectives after it, both agreeing in gender and
 * number (« une petite étoile jaune », « deux grands carrés bleus »). "orange" is invariable (a
 * colour named after a noun), "rose" agrees (the usual exception).
 *
 * <pre>{@code
 * French.colour(ShapeColour.PURPLE, true, true); // "violettes"
 * French.size(ShapeSize.LARGE, false, true);     // "grands"
 * }</pre>
 */
public final class French {
  private French() {}

  /** The noun when no shape is named: « forme » (feminine). */
  static final String SHAPE_NOUN = "forme";

  /** The singular noun for a shape. */
  public static String noun(ShapeKind shape) {
    return switch (shape) {
      case CIRCLE -> "cercle";
      case SQUARE -> "carré";
      case TRIANGLE -> "triangle";
      case STAR -> "étoile";
    };
  }

  /** Grammatical gender of a shape noun; {@code null} (no shape named) means « forme ». */
  public static boolean feminine(ShapeKind shape) {
    return shape == null || shape == ShapeKind.STAR;
  }

  /** The colour adjective agreeing with a noun of the given gender and number. */
  public static String colour(ShapeColour colour, boolean feminine, boolean plural) {
    String masculine =
        switch (colour) {
          case RED -> "rouge";
          case GREEN -> "vert";
          case BLUE -> "bleu";
          case YELLOW -> "jaune";
          case ORANGE -> "orange";
          case PURPLE -> "violet";
          case PINK -> "rose";
          case BLACK -> "noir";
        };
    if (colour == ShapeColour.ORANGE) {
      return masculine;
    }
    return inflect(masculine, feminine, plural);
  }

  /** The size adjective (placed before the noun) agreeing with it. */
  public static String size(ShapeSize size, boolean feminine, boolean plural) {
    return inflect(size == ShapeSize.SMALL ? "petit" : "grand", feminine, plural);
  }

  /** The background as the complement of « sur fond … » (fond is masculine singular). */
  public static String background(Background background) {
    return switch (background) {
      case WHITE -> "blanc";
      case GRAY -> "gris";
      case BEIGE -> "beige";
      case LIGHT_BLUE -> "bleu clair";
    };
  }

  /** The number word: « un »/« une », « deux », « trois ». */
  public static String count(int count, boolean feminine) {
    return switch (count) {
      case 1 -> feminine ? "une" : "un";
      case 2 -> "deux";
      case 3 -> "trois";
      default -> throw new IllegalArgumentException("count must be 1..3, got " + count);
    };
  }

  /**
   * Regular agreement: feminine adds "e" unless the word already ends in "e", doubling the final
   * consonant of "-et" (violet → violette); plural adds "s".
   */
  static String inflect(String masculine, boolean feminine, boolean plural) {
    String word = masculine;
    if (feminine && !word.endsWith("e")) {
      word = word.endsWith("et") ? word + "te" : word + "e";
    }
    return plural ? word + "s" : word;
  }
}
