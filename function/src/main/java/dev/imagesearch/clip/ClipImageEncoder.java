package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Images to CLIP image embeddings: preprocess, run the vision tower in batches on {@code
 * pixel_values}, take {@code image_embeds}, L2-normalize. Thread-safe.
 *
 * <pre>{@code
 * ClipImageEncoder encoder = model.imageEncoder();
 * float[][] embeddings = encoder.embedImages(List.of(ImageIO.read(a), ImageIO.read(b)));
 * }</pre>
 */
public final class ClipImageEncoder {
  static final String INPUT = "pixel_values";
  static final String OUTPUT = "image_embeds";

  private final OnnxSession session;
  private final ClipImagePreprocessor preprocessor;
  private final int dim;
  private final int batchSize;

  public ClipImageEncoder(
      OnnxSession session, ClipImagePreprocessor preprocessor, int dim, int batchSize) {
    if (!session.hasInput(INPUT)) {
      throw new ImageSearchException(
          session.modelFile() + " is not a CLIP vision model: inputs are " + session.inputNames());
    }
    long declared = session.outputWidth(OUTPUT);
    if (declared > 0 && declared != dim) {
      throw new ImageSearchException(
          session.modelFile()
              + " gives "
              + declared
              + "-dimensional image_embeds but config.json says projection_dim "
              + dim);
    }
    if (batchSize < 1) {
      throw new ImageSearchException("image batch size must be at least 1, got " + batchSize);
    }
    this.session = session;
    this.preprocessor = preprocessor;
    this.dim = dim;
    this.batchSize = batchSize;
  }

  public ClipImagePreprocessor preprocessor() {
    return preprocessor;
  }

  public int dim() {
    return dim;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Normalized embeddings of decoded images, in order. */
  public float[][] embedImages(List<BufferedImage> images) {
    int size = preprocessor.tensorSize();
    float[][] out = new float[images.size()][];
    float[] batch = new float[Math.min(batchSize, Math.max(1, images.size())) * size];
    for (int from = 0; from < images.size(); from += batchSize) {
      int n = Math.min(batchSize, images.size() - from);
      for (int i = 0; i < n; i++) {
        preprocessor.preprocessInto(images.get(from + i), batch, i * size);
      }
      System.arraycopy(runBatch(batch, n), 0, out, from, n);
    }
    return out;
  }

  /**
   * Normalized embeddings of already preprocessed images ({@link
   * ClipImagePreprocessor#preprocess}), run in batches of {@link #batchSize()}.
   */
  public float[][] embedPreprocessed(List<float[]> pixelValues) {
    int size = preprocessor.tensorSize();
    float[][] out = new float[pixelValues.size()][];
    float[] batch = new float[Math.min(batchSize, Math.max(1, pixelValues.size())) * size];
    for (int from = 0; from < pixelValues.size(); from += batchSize) {
      int n = Math.min(batchSize, pixelValues.size() - from);
      for (int i = 0; i < n; i++) {
        float[] pixels = pixelValues.get(from + i);
        if (pixels.length != size) {
          throw new ImageSearchException(
              "preprocessed image has " + pixels.length + " values, expected " + size);
        }
        System.arraycopy(pixels, 0, batch, i * size, size);
      }
      System.arraycopy(runBatch(batch, n), 0, out, from, n);
    }
    return out;
  }

  private float[][] runBatch(float[] batch, int n) {
    long[] shape = {n, 3, preprocessor.height(), preprocessor.width()};
    FloatBuffer data = FloatBuffer.wrap(batch, 0, n * preprocessor.tensorSize());
    float[][] embeddings = session.runFloats(INPUT, data, shape, OUTPUT);
    for (float[] e : embeddings) {
      Vectors.l2Normalize(e);
    }
    return embeddings;
  }
}
