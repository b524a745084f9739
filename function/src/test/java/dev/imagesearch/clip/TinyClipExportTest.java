package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Checks the tiny model files the Python tool exported, with ONNX Runtime: Xenova's input and
 * output names, dynamic sequence length (trimmed and padded inputs give the same embedding), and
 * agreement with the PyTorch reference embeddings for fp32 and int8.
 */
class TinyClipExportTest {
  private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  private static final Path MODEL = ROOT.resolve("function/src/test/resources/tiny-clip");
  private static final Path REF = ROOT.resolve("function/src/test/resources/tiny-clip-reference");
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  @Test
  void textModelHasXenovaSignatureAndDynamicSequence() throws Exception {
    try (OrtSession s = session("text_model.onnx")) {
      assertEquals(java.util.Set.of("input_ids", "attention_mask"), s.getInputNames());
      assertTrue(s.getOutputNames().contains("text_embeds"));
      TensorInfo ids = (TensorInfo) s.getInputInfo().get("input_ids").getInfo();
      assertEquals(ai.onnxruntime.OnnxJavaType.INT64, ids.type);
      assertArrayEquals(new long[] {-1, -1}, ids.getShape());
      for (JsonNode c : reference().get("text")) {
        long[] tokens = longs(c.get("ids"));
        float[] trimmed = text(s, tokens, tokens.length);
        float[] padded = text(s, tokens, 77);
        assertTrue(cosine(trimmed, padded) >= 0.99999, c.get("text").asText());
        assertTrue(cosine(trimmed, floats(c.get("embedding"))) >= 0.9999, c.get("text").asText());
      }
    }
  }

  @Test
  void quantizedTextModelStaysCloseToFp32() throws Exception {
    try (OrtSession q = session("text_model_quantized.onnx")) {
      for (JsonNode c : reference().get("text")) {
        long[] tokens = longs(c.get("ids"));
        double cos = cosine(text(q, tokens, tokens.length), floats(c.get("embedding")));
        assertTrue(cos >= 0.9, c.get("text").asText() + " cosine " + cos);
      }
    }
  }

  @Test
  void visionModelsMatchReferenceOnReferenceCrops() throws Exception {
    try (OrtSession fp32 = session("vision_model.onnx");
        OrtSession int8 = session("vision_model_quantized.onnx")) {
      NodeInfo in = fp32.getInputInfo().get("pixel_values");
      assertArrayEquals(new long[] {-1, 3, 224, 224}, ((TensorInfo) in.getInfo()).getShape());
      JsonNode cases = JSON.readTree(REF.resolve("pixels/cases.json").toFile());
      for (JsonNode image : reference().get("image")) {
        String expected = null;
        for (JsonNode c : cases) {
          if (c.get("file").asText().equals(image.get("file").asText())) {
            expected = c.get("expected").asText();
          }
        }
        float[][][][] pixels = normalized(ImageIO.read(REF.resolve("pixels/" + expected).toFile()));
        float[] want = floats(image.get("embedding"));
        assertTrue(cosine(vision(fp32, pixels), want) >= 0.9999, image.get("file").asText());
        double cos = cosine(vision(int8, pixels), want);
        assertTrue(cos >= 0.9, image.get("file").asText() + " int8 cosine " + cos);
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode reference() throws IOException {
    return JSON.readTree(REF.resolve("embeddings.json").toFile());
  }

  private static OrtSession session(String file) throws OrtException {
    return ENV.createSession(
        MODEL.resolve("onnx").resolve(file).toString(), new OrtSession.SessionOptions());
  }

  private static float[] text(OrtSession s, long[] tokens, int length) throws OrtException {
    long[][] ids = new long[1][length];
    long[][] mask = new long[1][length];
    for (int i = 0; i < tokens.length; i++) {
      ids[0][i] = tokens[i];
      mask[0][i] = 1;
    }
    try (OnnxTensor a = OnnxTensor.createTensor(ENV, ids);
        OnnxTensor b = OnnxTensor.createTensor(ENV, mask);
        OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b))) {
      return ((float[][]) r.get("text_embeds").get().getValue())[0];
    }
  }

  private static float[] vision(OrtSession s, float[][][][] pixels) throws OrtException {
    try (OnnxTensor a = OnnxTensor.createTensor(ENV, pixels);
        OrtSession.Result r = s.run(Map.of("pixel_values", a))) {
      return ((float[][]) r.get("image_embeds").get().getValue())[0];
    }
  }

  private static float[][][][] normalized(BufferedImage crop) {
    float[][][][] x = new float[1][3][224][224];
    for (int y = 0; y < 224; y++) {
      for (int xx = 0; xx < 224; xx++) {
        int rgb = crop.getRGB(xx, y);
        int[] c = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
        for (int ch = 0; ch < 3; ch++) {
          x[0][ch][y][xx] = (c[ch] * (1 / 255f) - MEAN[ch]) / STD[ch];
        }
      }
    }
    return x;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }
}
