package dev.imagesearch.synth;

/** Shape size class; the radius is a fraction of the central square crop's side. */
public enum ShapeSize {
  SMALL("small", 0.085),
  LARGE("large", 0.15);

  private final String word;
  private final double radiusFraction;

  ShapeSize(String word, double radiusFraction) {
    this.word = word;
    this.radiusFraction = radiusFraction;
  }

  public String word() {
    return word;
  }

  /** Nominal radius (centre to outermost point) as a fraction of the crop side. */
  public double radiusFraction() {
    return radiusFraction;
  }
}
