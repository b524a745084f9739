package dev.imagesearch.clip;

import java.util.Locale;

/**
 * Which text tower embeds a query. Both map text into the same image space (the index is shared):
 * the model's own CLIP text tower, trained on English, and an optional multilingual student
 * distilled onto it (see {@link ModelDirectory} for the files).
 */
public enum TextTower {
  /** The CLIP text tower ({@code onnx/text_model*.onnx}, {@code tokenizer.json}). */
  ENGLISH,
  /**
   * The multilingual student ({@code onnx/text_model_multilingual*.onnx}, {@code
   * tokenizer_multilingual.json}).
   */
  MULTILINGUAL;

  /** The name the JSON and the page use: "english" or "multilingual". */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
