package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import java.util.Map;

/**
 * A text tower exported as a bare transformer (the sentence-transformers ONNX export of {@code
 * clip-ViT-B-32-multilingual-v1}: inputs {@code input_ids}, {@code attention_mask}; output token
 * states {@code last_hidden_state} or {@code token_embeddings}), finished here as
 * sentence-transformers finishes it: mean pooling over the real tokens (special tokens included),
 * then the bias-free {@link Projection} to the CLIP dimension, then L2 normalization.
 *
 * <pre>{@code
 * TextEmbedder fr = new PooledTextEncoder(session, tokenizer, projection, "m-clip", TextTower.MULTILINGUAL);
 * float[] q = fr.embedText("trois cercles rouges"); // unit length, 512 values
 * }</pre>
 */
public final class PooledTextEncoder implements TextEmbedder {
  private final OnnxSession session;
  private final ClipTokenizer tokenizer;
  private final Projection projection;
  private final String modelId;
  private final TextTower tower;
  private final String output;
  private final boolean takesMask;

  public PooledTextEncoder(
      OnnxSession session,
      ClipTokenizer tokenizer,
      Projection projection,
      String modelId,
      TextTower tower) {
    if (!session.hasInput(ClipTextEncoder.INPUT_IDS)) {
      throw new ImageSearchException(
          session.modelFile() + " is not a text model: inputs are " + session.inputNames());
    }
    this.output = session.hasOutput("token_embeddings") ? "token_embeddings" : "last_hidden_state";
    long hidden = session.outputWidth(output);
    if (hidden > 0 && hidden != projection.in()) {
      throw new ImageSearchException(
          session.modelFile()
              + " gives "
              + hidden
              + "-wide token states but the projection takes "
              + projection.in());
    }
    this.session = session;
    this.tokenizer = tokenizer;
    this.projection = projection;
    this.modelId = modelId;
    this.tower = tower;
    this.takesMask = session.hasInput(ClipTextEncoder.ATTENTION_MASK);
  }

  @Override
  public float[] embedText(String text) {
    if (text == null || text.isBlank()) {
      throw new ImageSearchException("cannot embed an empty query text");
    }
    long[] ids = tokenizer.encode(text);
    Map<String, long[]> inputs =
        ClipTextEncoder.inputs(ids, ClipTextEncoder.allOnes(ids.length), takesMask);
    float[][] states = session.runTokenStates(inputs, new long[] {1, ids.length}, output);
    return Vectors.l2Normalize(projection.apply(meanPool(states)));
  }

  /** The mean of the token states (every token is real: no padding is fed). */
  static float[] meanPool(float[][] states) {
    float[] mean = new float[states[0].length];
    for (float[] state : states) {
      for (int j = 0; j < mean.length; j++) {
        mean[j] += state[j];
      }
    }
    for (int j = 0; j < mean.length; j++) {
      mean[j] /= states.length;
    }
    return mean;
  }

  @Override
  public int dim() {
    return projection.out();
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public TextTower tower() {
    return tower;
  }
}
