package dev.imagesearch.synth;

import java.util.Optional;

/**
 * Some of a scene's attributes, worded as a caption or a query in English or French. An attribute
 * left empty is not named; a missing count reads as a bare plural ("red circles", « cercles rouges
 * »), and a missing shape as "shape" / « forme ».
 *
 * <pre>{@code
 * Description d = Description.of(scene);        // every attribute
 * d.english(); // "two large blue squares on a gray background"
 * d.french();  // "deux grands carrés bleus sur fond gris"
 * }</pre>
 */
public record Description(
    Optional<ShapeColour> colour,
    Optional<ShapeKind> shape,
    Optional<Integer> count,
    Optional<ShapeSize> size,
    Optional<Background> background) {

  /** Every attribute of the scene. */
  public static Description of(Scene s) {
    return new Description(
        Optional.of(s.colour()),
        Optional.of(s.shape()),
        Optional.of(s.count()),
        Optional.of(s.size()),
        Optional.of(s.background()));
  }

  /** The attributes a parsed query names (no background). */
  public static Description of(SceneQuery q) {
    return new Description(q.colour(), q.shape(), q.count(), q.size(), Optional.empty());
  }

  /** "a large red circle on a gray background", "an orange star", "small shapes". */
  public String english() {
    boolean plural = count.map(n -> n != 1).orElse(true);
    String noun = shape.map(k -> k.word(plural ? 2 : 1)).orElse(plural ? "shapes" : "shape");
    StringBuilder text = new StringBuilder();
    size.ifPresent(s -> text.append(s.word()).append(' '));
    colour.ifPresent(c -> text.append(c.word()).append(' '));
    text.append(noun);
    if (count.isPresent()) {
      int n = count.get();
      String article = "aeiou".indexOf(text.charAt(0)) >= 0 ? "an" : "a";
      text.insert(0, (n == 1 ? article : Scene.countWord(n)) + " ");
    }
    background.ifPresent(b -> text.append(" on a ").append(b.word()).append(" background"));
    return text.toString();
  }

  /** « une grande étoile rouge sur fond gris », « deux petites formes », « cercles orange ». */
  public String french() {
    boolean plural = count.map(n -> n != 1).orElse(true);
    boolean feminine = French.feminine(shape.orElse(null));
    String noun = shape.map(French::noun).orElse(French.SHAPE_NOUN) + (plural ? "s" : "");
    StringBuilder text = new StringBuilder();
    count.ifPresent(n -> text.append(French.count(n, feminine)).append(' '));
    size.ifPresent(s -> text.append(French.size(s, feminine, plural)).append(' '));
    text.append(noun);
    colour.ifPresent(c -> text.append(' ').append(French.colour(c, feminine, plural)));
    background.ifPresent(b -> text.append(" sur fond ").append(French.background(b)));
    return text.toString();
  }
}
