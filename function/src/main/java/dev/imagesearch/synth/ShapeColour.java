package dev.imagesearch.synth;

import java.awt.Color;

/**
 * Saturated shape colours, chosen far apart from each other and from every {@link Background} so
 * that a colour word in a query has one clear meaning.
 */
public enum ShapeColour {
  RED("red", new Color(214, 32, 32)),
  GREEN("green", new Color(30, 150, 50)),
  BLUE("blue", new Color(28, 64, 214)),
  YELLOW("yellow", new Color(240, 206, 20)),
  ORANGE("orange", new Color(245, 124, 16)),
  PURPLE("purple", new Color(122, 36, 168)),
  PINK("pink", new Color(242, 104, 178)),
  BLACK("black", new Color(22, 22, 22));

  private final String word;
  private final Color rgb;

  ShapeColour(String word, Color rgb) {
    this.word = word;
    this.rgb = rgb;
  }

  public String word() {
    return word;
  }

  public Color rgb() {
    return rgb;
  }
}
