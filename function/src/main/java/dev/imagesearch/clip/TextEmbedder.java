package dev.imagesearch.clip;

/** Turns a query text into a CLIP text embedding. Implementations are thread-safe. */
public interface TextEmbedder {
  /** The L2-normalized embedding of {@code text} (length {@link #dim()}). */
  float[] embedText(String text);

  /** Embedding dimension (the model's projection dim). */
  int dim();

  /**
   * Identifier of the model, recorded in index manifests (e.g. "tiny-clip-v1"); each text tower of
   * a model has its own (query caches and calibrations are keyed by it).
   */
  String modelId();

  /** Which tower this embedder is. */
  default TextTower tower() {
    return TextTower.ENGLISH;
  }

  /**
   * The embedder for {@code wanted}: itself when it has no other tower (a model without a
   * multilingual tower answers every query with its English one; {@link #tower()} says which).
   */
  default TextEmbedder tower(TextTower wanted) {
    return this;
  }
}
