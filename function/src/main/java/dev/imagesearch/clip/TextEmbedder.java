package dev.imagesearch.clip;

/** Turns a query text into a CLIP text embedding. Implementations are thread-safe. */
public interface TextEmbedder {
  /** The L2-normalized embedding of {@code text} (length {@link #dim()}). */
  float[] embedText(String text);

  /** Embedding dimension (the model's projection dim). */
  int dim();

  /** Identifier of the model, recorded in index manifests (e.g. "tiny-clip-v1"). */
  String modelId();
}
