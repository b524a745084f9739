package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The image side on the tiny model with ONNX Runtime (model tier, loaded once per class). */
class ClipImageEncoderTest {
  private static ClipModel model;
  private static List<BufferedImage> images;

  @BeforeAll
  static void load() throws IOException {
    model =
        ClipModel.load(
            TinyClip.modelDir(), new ClipModel.Options(ModelDirectory.Precision.FP32, 0, 2));
    images =
        List.of(
            ClipImagePreprocessorTest.read("rgb-640x480.png"),
            ClipImagePreprocessorTest.read("gray-333x777.png"),
            ClipImagePreprocessorTest.read("rgba-400x250.png"));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void batchesGiveTheSameEmbeddingsAsSingleImages() {
    ClipImageEncoder encoder = model.imageEncoder();
    assertEquals(2, encoder.batchSize());
    float[][] batched = encoder.embedImages(images); // runs as a batch of 2 and a batch of 1
    assertEquals(3, batched.length);
    for (int i = 0; i < images.size(); i++) {
      float[] single = encoder.embedImages(List.of(images.get(i)))[0];
      assertEquals(model.dim(), single.length);
      double cosine = Vectors.cosine(single, batched[i]);
      assertTrue(cosine > 0.99999, "image " + i + ": cosine " + cosine);
    }
  }

  @Test
  void preprocessedPathMatchesTheImagePath() {
    ClipImageEncoder encoder = model.imageEncoder();
    float[] pixels = encoder.preprocessor().preprocess(images.get(0));
    float[] viaPixels = encoder.embedPreprocessed(List.of(pixels))[0];
    float[] viaImage = encoder.embedImages(List.of(images.get(0)))[0];
    assertTrue(Vectors.cosine(viaPixels, viaImage) > 0.999999);
    assertEquals(1.0, Math.sqrt(Vectors.dot(viaImage, viaImage)), 1e-5);
  }

  @Test
  void wrongSizedPixelArrayIsRejected() {
    ImageSearchException e =
        assertThrows(
            ImageSearchException.class,
            () -> model.imageEncoder().embedPreprocessed(List.of(new float[10])));
    assertEquals("preprocessed image has 10 values, expected 150528", e.getMessage());
  }

  @Test
  void aQuantizedModelEmbedsEachImageAloneSoBatchesNeverChangeARow() {
    // Dynamic int8 quantization scales activations over the whole input tensor: in a batch, one
    // image's row would depend on its neighbours. The model's encoder (the indexer's too) runs
    // one image per call, so a batch gives exactly the rows of single images.
    try (ClipModel int8 =
        ClipModel.load(
            TinyClip.modelDir(),
            new ClipModel.Options(ModelDirectory.Precision.PREFER_QUANTIZED, 0, 16))) {
      ClipImageEncoder encoder = int8.imageEncoder();
      assertEquals(1, encoder.batchSize());
      float[][] batched = encoder.embedImages(images);
      for (int i = 0; i < images.size(); i++) {
        assertArrayEquals(encoder.embedImages(List.of(images.get(i)))[0], batched[i]);
      }
    }
  }

  @Test
  void imageEncoderIsLoadedOnceAndShared() {
    assertTrue(model.imageEncoder() == model.imageEncoder());
  }
}
