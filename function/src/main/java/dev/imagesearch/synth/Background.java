package dev.imagesearch.synth;

import java.awt.Color;

/** Pale, neutral backgrounds: never mistaken for a shape colour. */
public enum Background {
  WHITE("white", new Color(255, 255, 255)),
  GRAY("gray", new Color(196, 196, 196)),
  BEIGE("beige", new Color(238, 226, 196)),
  LIGHT_BLUE("light blue", new Color(200, 224, 244));

  private final String word;
  private final Color rgb;

  Background(String word, Color rgb) {
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
