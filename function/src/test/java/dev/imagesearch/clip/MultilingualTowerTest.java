package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny model's optional multilingual text tower, loaded through the same classes as the English
 * one: token ids and fp32 embeddings against the Python reference that made it ({@code
 * tiny-clip-reference/multilingual.json}, accents and symbols included), the fallback when a
 * directory has no second tower, and the sentence-transformers layout (token states, mean pooling,
 * a safetensors projection) on the tiny tower's own token states.
 */
class MultilingualTowerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ClipModel fp32;

  @BeforeAll
  static void load() {
    fp32 =
        ClipModel.load(
            TinyClip.modelDir(),
            ClipModel.Options.defaults().withPrecision(ModelDirectory.Precision.FP32));
  }

  @AfterAll
  static void close() {
    fp32.close();
  }

  @Test
  void idsAndEmbeddingsMatchThePythonStudent() throws IOException {
    JsonNode cases =
        JSON.readTree(TinyClip.referenceDir().resolve("multilingual.json").toFile()).get("text");
    ClipTextEncoder encoder = (ClipTextEncoder) fp32.tower(TextTower.MULTILINGUAL);
    assertEquals(TextTower.MULTILINGUAL, encoder.tower());
    assertEquals(fp32.modelId() + "+multilingual", encoder.modelId());
    double worst = 0;
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      long[] expected = new long[c.get("ids").size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = c.get("ids").get(i).asLong();
      }
      assertArrayEquals(expected, encoder.tokenizer().encode(text), "ids of \"" + text + "\"");
      float[] python = new float[c.get("embedding").size()];
      for (int i = 0; i < python.length; i++) {
        python[i] = (float) c.get("embedding").get(i).asDouble();
      }
      float[] want = Vectors.l2Normalize(python);
      float[] got = encoder.embedText(text);
      for (int i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(want[i] - got[i]));
      }
    }
    System.out.printf("multilingual tower vs Python: max |diff| %.2e%n", worst);
    assertTrue(worst < 1e-4, "max |diff| " + worst);
  }

  @Test
  void frenchLandsNearItsEnglishTranslationNotNearAnotherDescription() {
    TextEmbedder fr = fp32.tower(TextTower.MULTILINGUAL);
    float[] english = fp32.embedText("two large blue squares on a gray background");
    float[] french = fr.embedText("deux grands carrés bleus sur fond gris");
    float[] other = fp32.embedText("three small red stars on a white background");
    // Both unit length: the dot product is the cosine.
    double same = Vectors.dot(english, french);
    double different = Vectors.dot(other, french);
    System.out.printf(
        "cosine FR/EN translation %.3f, FR/other description %.3f%n", same, different);
    assertTrue(same > 0.95, "cosine to the translation " + same);
    assertTrue(same > different + 0.2, same + " vs " + different);
  }

  @Test
  void aDirectoryWithoutTheSecondTowerAnswersWithTheEnglishOne(@TempDir Path dir)
      throws IOException {
    copyWithout(dir, "text_model_multilingual");
    try (ClipModel model = ClipModel.load(dir, ClipModel.Options.defaults())) {
      assertEquals(false, model.multilingual());
      TextEmbedder answered = model.tower(TextTower.MULTILINGUAL);
      assertEquals(TextTower.ENGLISH, answered.tower());
      assertArrayEquals(model.embedText("une étoile"), answered.embedText("une étoile"));
    }
  }

  @Test
  void aSecondTowerWithoutItsTokenizerIsRefusedByName(@TempDir Path dir) throws IOException {
    copyWithout(dir, "tokenizer_multilingual.json");
    ImageSearchException e =
        assertThrows(
            ImageSearchException.class, () -> ClipModel.load(dir, ClipModel.Options.defaults()));
    assertEquals(
        "model file missing: " + dir.resolve("tokenizer_multilingual.json"), e.getMessage());
  }

  /**
   * The sentence-transformers layout on the tiny tower: the ONNX file's token states ({@code
   * last_hidden_state}), averaged over the tokens, times a projection read from safetensors.
   */
  @Test
  void pooledLayoutMeanPoolsTokenStatesAndProjects(@TempDir Path dir) throws IOException {
    Path model = TinyClip.modelDir().resolve("onnx").resolve("text_model_multilingual.onnx");
    // A 64 x 64 projection that keeps the first half of the pooled state and doubles it.
    float[][] weight = new float[64][64];
    for (int i = 0; i < 32; i++) {
      weight[i][i] = 2f;
    }
    Path safetensors = dir.resolve("projection.safetensors");
    writeSafetensors(safetensors, "linear.weight", weight);
    Projection projection = Projection.read(safetensors, 64);
    assertEquals(64, projection.in());

    try (OnnxSession session = OnnxSession.open(model, 1);
        ClipTokenizer tokenizer =
            ClipTokenizer.load(TinyClip.modelDir().resolve("tokenizer_multilingual.json"))) {
      PooledTextEncoder pooled =
          new PooledTextEncoder(session, tokenizer, projection, "pooled", TextTower.MULTILINGUAL);
      long[] ids = tokenizer.encode("trois cercles rouges");
      long[] mask = new long[ids.length];
      java.util.Arrays.fill(mask, 1L);
      Map<String, long[]> inputs = new LinkedHashMap<>();
      inputs.put("input_ids", ids);
      inputs.put("attention_mask", mask);
      float[][] states =
          session.runTokenStates(inputs, new long[] {1, ids.length}, "last_hidden_state");
      assertEquals(ids.length, states.length);
      float[] expected = new float[64];
      for (int j = 0; j < 32; j++) {
        double sum = 0;
        for (float[] state : states) {
          sum += state[j];
        }
        expected[j] = (float) (2 * sum / states.length);
      }
      float[] got = pooled.embedText("trois cercles rouges");
      assertArrayEquals(Vectors.l2Normalize(expected), got, 1e-5f);
      assertEquals(0f, got[40]);
      assertNotEquals(0f, got[3]);
    }
  }

  @Test
  void aProjectionOfTheWrongShapeIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.safetensors");
    writeSafetensors(file, "linear.weight", new float[8][4]);
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> Projection.read(file, 512));
    assertTrue(e.getMessage().startsWith(file + " holds no float32 [512, hidden] projection"));
  }

  /**
   * A safetensors file with one float32 tensor, as the sentence-transformers Dense module saves.
   */
  static void writeSafetensors(Path file, String name, float[][] weight) throws IOException {
    int rows = weight.length;
    int cols = weight[0].length;
    String header =
        String.format(
            "{\"%s\":{\"dtype\":\"F32\",\"shape\":[%d,%d],\"data_offsets\":[0,%d]}}",
            name, rows, cols, rows * cols * 4);
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(8 + h.length + rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h);
    for (float[] row : weight) {
      for (float v : row) {
        out.putFloat(v);
      }
    }
    Files.write(file, out.array());
  }

  /** Copies the tiny model folder, leaving out every file whose name starts with {@code skip}. */
  static void copyWithout(Path dir, String skip) throws IOException {
    Path source = TinyClip.modelDir();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = dir.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else if (!f.getFileName().toString().startsWith(skip)) {
          Files.copy(f, to);
        }
      }
    }
  }
}
