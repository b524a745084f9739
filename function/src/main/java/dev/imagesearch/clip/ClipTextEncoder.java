package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query text to CLIP text embedding: tokenize, run the text tower on the real tokens only, take
 * {@code text_embeds}, L2-normalize.
 *
 * <p>No padding to 77: CLIP's text tower is causal and pools at the end-of-text token, so the
 * padding never influences the result, and a query of 8 tokens runs several times faster than 77.
 * When the model declares {@code attention_mask} it gets all ones. Thread-safe.
 *
 * <pre>{@code
 * ClipTextEncoder encoder = new ClipTextEncoder(session, tokenizer, 512, "Xenova/clip-vit-base-patch32");
 * float[] query = encoder.embedText("a red circle"); // unit length
 * }</pre>
 */
public final class ClipTextEncoder implements TextEmbedder {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String OUTPUT = "text_embeds";

  private final OnnxSession session;
  private final ClipTokenizer tokenizer;
  private final int dim;
  private final String modelId;
  private final boolean takesMask;
  private final TextTower tower;

  public ClipTextEncoder(OnnxSession session, ClipTokenizer tokenizer, int dim, String modelId) {
    this(session, tokenizer, dim, modelId, TextTower.ENGLISH);
  }

  /** An encoder for one of the model's text towers (the multilingual one has the same layout). */
  public ClipTextEncoder(
      OnnxSession session, ClipTokenizer tokenizer, int dim, String modelId, TextTower tower) {
    if (!session.hasInput(INPUT_IDS)) {
      throw new ImageSearchException(
          session.modelFile() + " is not a CLIP text model: inputs are " + session.inputNames());
    }
    long declared = session.outputWidth(OUTPUT);
    if (declared > 0 && declared != dim) {
      throw new ImageSearchException(
          session.modelFile()
              + " gives "
              + declared
              + "-dimensional text_embeds but config.json says projection_dim "
              + dim);
    }
    this.session = session;
    this.tokenizer = tokenizer;
    this.dim = dim;
    this.modelId = modelId;
    this.takesMask = session.hasInput(ATTENTION_MASK);
    this.tower = tower;
  }

  @Override
  public TextTower tower() {
    return tower;
  }

  @Override
  public float[] embedText(String text) {
    if (text == null || text.isBlank()) {
      throw new ImageSearchException("cannot embed an empty query text");
    }
    long[] ids = tokenizer.encode(text);
    return embedTokens(ids, allOnes(ids.length));
  }

  /** The attention mask of a sequence fed without padding: every token is real. */
  static long[] allOnes(int length) {
    long[] mask = new long[length];
    Arrays.fill(mask, 1L);
    return mask;
  }

  /** The model's inputs: the ids, and the mask when the model declares one. */
  static Map<String, long[]> inputs(long[] ids, long[] mask, boolean takesMask) {
    Map<String, long[]> inputs = new LinkedHashMap<>(4);
    inputs.put(INPUT_IDS, ids);
    if (takesMask) {
      inputs.put(ATTENTION_MASK, mask);
    }
    return inputs;
  }

  /**
   * The normalized embedding of one token sequence. {@code attentionMask} (same length, 1 = real
   * token) is passed only when the model declares that input; used directly by parity tests that
   * compare padded and trimmed sequences.
   */
  public float[] embedTokens(long[] ids, long[] attentionMask) {
    if (ids.length == 0 || ids.length != attentionMask.length) {
      throw new ImageSearchException(
          "token ids ("
              + ids.length
              + ") and attention mask ("
              + attentionMask.length
              + ") differ");
    }
    float[][] out =
        session.runLongs(inputs(ids, attentionMask, takesMask), new long[] {1, ids.length}, OUTPUT);
    return Vectors.l2Normalize(out[0]);
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public String modelId() {
    return modelId;
  }
}
