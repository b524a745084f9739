package dev.imagesearch.synth;

/** The shapes the synthetic generator draws, with the words a caption uses for them. */
public enum ShapeKind {
  CIRCLE("circle", "circles"),
  SQUARE("square", "squares"),
  TRIANGLE("triangle", "triangles"),
  STAR("star", "stars");

  private final String singular;
  private final String plural;

  ShapeKind(String singular, String plural) {
    this.singular = singular;
    this.plural = plural;
  }

  public String word(int count) {
    return count == 1 ? singular : plural;
  }

  public String singular() {
    return singular;
  }

  public String plural() {
    return plural;
  }
}
