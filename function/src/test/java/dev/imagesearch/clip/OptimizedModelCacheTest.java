package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved optimised graph of the tiny int8 text tower (real ONNX Runtime): used on the second
 * open, made again when it is damaged, foreign or belongs to another model, runtime or CPU, and
 * giving the same embeddings as the model itself.
 */
class OptimizedModelCacheTest {
  private static final Path TEXT_MODEL =
      TinyClip.modelDir().resolve("onnx/text_model_quantized.onnx");
  private static final String HERE = "onnxruntime 1.29.0\nx86_64 test cpu";

  private static final long[] TOKENS = tokens("a red circle");

  @Test
  void theFirstOpenSavesTheGraphAndTheSecondLoadsIt(@TempDir Path tmp) throws IOException {
    Path model = copy(TEXT_MODEL, tmp.resolve("model/text_model_quantized.onnx"));
    OptimizedModelCache cache = new OptimizedModelCache(tmp.resolve("cache"), HERE);
    Path graph = cache.graphFor(model);
    float[] direct;
    try (OnnxSession plain = OnnxSession.open(model, 1)) {
      direct = embed(plain);
    }
    try (OnnxSession first = cache.open(model, 1, false)) {
      assertEquals(model, first.loadedFrom());
      assertArrayEquals(direct, embed(first), 1e-6f);
    }
    assertTrue(Files.size(graph) > 0);
    assertEquals(
        List.of(graph.getFileName() + "", graph.getFileName() + ".crc32c"),
        names(graph.getParent()));
    try (OnnxSession second = cache.open(model, 1, false)) {
      assertEquals(graph, second.loadedFrom());
      assertEquals(model, second.modelFile());
      assertArrayEquals(direct, embed(second), 1e-6f);
    }
  }

  @Test
  void theKeyFollowsTheModelsBytesTheRuntimeAndTheCpu(@TempDir Path tmp) throws IOException {
    Path model = copy(TEXT_MODEL, tmp.resolve("a/text_model_quantized.onnx"));
    Path sameBytesElsewhere = copy(TEXT_MODEL, tmp.resolve("b/text_model_quantized.onnx"));
    Files.setLastModifiedTime(sameBytesElsewhere, FileTime.fromMillis(0));
    OptimizedModelCache cache = new OptimizedModelCache(tmp.resolve("cache"), HERE);
    Path graph = cache.graphFor(model);
    assertTrue(
        graph.getFileName().toString().matches("text_model_quantized-[0-9a-f]{20}\\.ort"),
        graph + "");
    assertEquals(graph, cache.graphFor(sameBytesElsewhere));

    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length / 2] ^= 1; // one bit of one weight
    Files.write(model, bytes);
    assertNotEquals(graph, cache.graphFor(model));

    OptimizedModelCache otherRuntime =
        new OptimizedModelCache(tmp.resolve("cache"), "onnxruntime 1.30.0\nx86_64 test cpu");
    OptimizedModelCache otherCpu =
        new OptimizedModelCache(tmp.resolve("cache"), "onnxruntime 1.29.0\naarch64 test cpu");
    assertNotEquals(graph, otherRuntime.graphFor(sameBytesElsewhere));
    assertNotEquals(graph, otherCpu.graphFor(sameBytesElsewhere));
    assertNotEquals(
        otherRuntime.graphFor(sameBytesElsewhere), otherCpu.graphFor(sameBytesElsewhere));
  }

  @Test
  void theCpuIdentityNamesTheArchitectureAndOnLinuxTheFeatureFlags() {
    String id = OptimizedModelCache.cpuIdentity();
    assertTrue(id.startsWith(System.getProperty("os.arch")), id);
    if (Files.isReadable(Path.of("/proc/cpuinfo")) && id.contains("flags")) {
      assertTrue(id.lines().anyMatch(l -> l.startsWith("flags")), id);
    }
  }

  @Test
  void aDamagedGraphIsIgnoredAndMadeAgain(@TempDir Path tmp) throws IOException {
    Path model = copy(TEXT_MODEL, tmp.resolve("model/text_model_quantized.onnx"));
    OptimizedModelCache cache = new OptimizedModelCache(tmp.resolve("cache"), HERE);
    cache.open(model, 1, false).close();
    Path graph = cache.graphFor(model);
    byte[] saved = Files.readAllBytes(graph);
    byte[] damaged = saved.clone();
    damaged[damaged.length - 100] ^= 0x40;
    Files.write(graph, damaged);

    try (OnnxSession session = cache.open(model, 1, false)) {
      assertEquals(model, session.loadedFrom(), "a damaged graph is not loaded");
      assertArrayEquals(embedOf(model), embed(session), 1e-6f);
    }
    assertEquals(
        Files.readString(graph.resolveSibling(graph.getFileName() + ".crc32c")),
        OptimizedModelCache.checksum(graph),
        "made again from the model, with its checksum");
    // ONNX Runtime's saved graph is not byte-for-byte reproducible (sizes differ by a few bytes
    // between saves), so the test checks that the damaged bytes are gone and the new file loads.
    assertFalse(
        java.util.Arrays.equals(damaged, Files.readAllBytes(graph)), "the damaged file replaced");
    try (OnnxSession again = cache.open(model, 1, false)) {
      assertEquals(graph, again.loadedFrom());
    }
  }

  @Test
  void aForeignFileWithAMatchingChecksumIsRefusedByTheRuntimeAndReplaced(@TempDir Path tmp)
      throws IOException {
    Path model = copy(TEXT_MODEL, tmp.resolve("model/text_model_quantized.onnx"));
    OptimizedModelCache cache = new OptimizedModelCache(tmp.resolve("cache"), HERE);
    Path graph = cache.graphFor(model);
    Files.createDirectories(graph.getParent());
    Files.writeString(graph, "not a graph at all");
    Files.writeString(
        graph.resolveSibling(graph.getFileName() + ".crc32c"), OptimizedModelCache.checksum(graph));

    try (OnnxSession session = cache.open(model, 1, false)) {
      assertEquals(model, session.loadedFrom());
      assertArrayEquals(embedOf(model), embed(session), 1e-6f);
    }
    assertTrue(Files.size(graph) > 1000, "replaced by the real graph");
    try (OnnxSession again = cache.open(model, 1, false)) {
      assertEquals(graph, again.loadedFrom());
    }
  }

  @Test
  void aGraphWithoutItsSidecarIsNotUsed(@TempDir Path tmp) throws IOException {
    Path model = copy(TEXT_MODEL, tmp.resolve("model/text_model_quantized.onnx"));
    OptimizedModelCache cache = new OptimizedModelCache(tmp.resolve("cache"), HERE);
    cache.open(model, 1, false).close();
    Path graph = cache.graphFor(model);
    // As a crash between writing the graph and its sidecar leaves it.
    Files.delete(graph.resolveSibling(graph.getFileName() + ".crc32c"));

    try (OnnxSession session = cache.open(model, 1, false)) {
      assertEquals(model, session.loadedFrom());
    }
    assertTrue(Files.exists(graph.resolveSibling(graph.getFileName() + ".crc32c")));
  }

  @Test
  void aNewModelUnderTheSameNameReplacesTheOldGraph(@TempDir Path tmp) throws IOException {
    Path model = copy(TEXT_MODEL, tmp.resolve("model/text_model_quantized.onnx"));
    OptimizedModelCache cache = new OptimizedModelCache(tmp.resolve("cache"), HERE);
    cache.open(model, 1, false).close();
    Path oldGraph = cache.graphFor(model);
    Path other = cache.graphFor(TinyClip.modelDir().resolve("onnx/text_model_multilingual.onnx"));
    cache.open(TinyClip.modelDir().resolve("onnx/text_model_multilingual.onnx"), 1, false).close();

    copy(TinyClip.modelDir().resolve("onnx/text_model.onnx"), model); // the fp32 tower
    try (OnnxSession session = cache.open(model, 1, false)) {
      assertEquals(model, session.loadedFrom());
      assertArrayEquals(embedOf(model), embed(session), 1e-6f);
    }
    Path newGraph = cache.graphFor(model);
    assertNotEquals(oldGraph, newGraph);
    assertFalse(Files.exists(oldGraph), "the old model's graph is deleted");
    assertTrue(Files.exists(newGraph));
    assertTrue(Files.exists(other), "another model's graph is kept");
  }

  @Test
  void aCacheFolderThatCannotBeWrittenOnlyCostsTheSaving(@TempDir Path tmp) throws IOException {
    Path model = copy(TEXT_MODEL, tmp.resolve("model/text_model_quantized.onnx"));
    Path notAFolder = Files.writeString(tmp.resolve("cache"), "a file where the folder should be");
    OptimizedModelCache cache = new OptimizedModelCache(notAFolder, HERE);
    try (OnnxSession session = cache.open(model, 1, false)) {
      assertEquals(model, session.loadedFrom());
      assertArrayEquals(embedOf(model), embed(session), 1e-6f);
    }
  }

  @Test
  void aClipModelWithOptimizedGraphsEmbedsAsWithout(@TempDir Path tmp) throws IOException {
    ClipModel.Options options = ClipModel.Options.defaults();
    try (ClipModel plain = ClipModel.load(TinyClip.modelDir(), options);
        ClipModel first =
            ClipModel.load(TinyClip.modelDir(), options.withOptimizedGraphs(tmp.resolve("g")));
        ClipModel second =
            ClipModel.load(TinyClip.modelDir(), options.withOptimizedGraphs(tmp.resolve("g")))) {
      float[] expected = plain.embedText("three red circles");
      assertArrayEquals(expected, first.embedText("three red circles"), 1e-6f);
      assertArrayEquals(expected, second.embedText("three red circles"), 1e-6f);
      // The int8 text tower and, since the tiny model has one, the multilingual tower.
      assertEquals(4, names(tmp.resolve("g")).size(), names(tmp.resolve("g")) + "");
    }
  }

  private static float[] embedOf(Path model) {
    try (OnnxSession session = OnnxSession.open(model, 1)) {
      return embed(session);
    }
  }

  private static float[] embed(OnnxSession session) {
    long[] mask = new long[TOKENS.length];
    java.util.Arrays.fill(mask, 1);
    Map<String, long[]> inputs =
        session.hasInput("attention_mask")
            ? Map.of("input_ids", TOKENS, "attention_mask", mask)
            : Map.of("input_ids", TOKENS);
    String output = session.hasOutput("text_embeds") ? "text_embeds" : "last_hidden_state";
    long[] shape = {1, TOKENS.length};
    return output.equals("text_embeds")
        ? session.runLongs(inputs, shape, output)[0]
        : session.runTokenStates(inputs, shape, output)[TOKENS.length - 1];
  }

  private static long[] tokens(String text) {
    try (ClipTokenizer tokenizer =
        ClipTokenizer.load(TinyClip.modelDir().resolve("tokenizer.json"))) {
      return tokenizer.encode(text);
    }
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    return Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
