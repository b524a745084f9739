package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout rules and config parsing, on folders of placeholder files (no ONNX needed). */
class ModelDirectoryTest {
  @TempDir Path root;

  @BeforeEach
  void layout() throws IOException {
    Files.createDirectories(root.resolve("onnx"));
    for (String f :
        List.of(
            "onnx/text_model.onnx",
            "onnx/text_model_quantized.onnx",
            "onnx/vision_model.onnx",
            "onnx/vision_model_quantized.onnx",
            "tokenizer.json")) {
      Files.writeString(root.resolve(f), "placeholder");
    }
    Files.writeString(
        root.resolve("config.json"),
        "{\"_name_or_path\": \"openai/clip-vit-base-patch32\", \"projection_dim\": 512}");
    // The old transformers format Xenova's export uses: plain ints for size and crop_size.
    Files.writeString(
        root.resolve("preprocessor_config.json"),
        """
        {"crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true,
         "feature_extractor_type": "CLIPFeatureExtractor",
         "image_mean": [0.48145466, 0.4578275, 0.40821073],
         "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3, "size": 224}
        """);
  }

  @Test
  void prefersQuantizedFilesAndReadsTheConfigs() {
    ModelDirectory dir = ModelDirectory.open(root, ModelDirectory.Precision.PREFER_QUANTIZED);
    assertEquals(root.resolve("onnx/text_model_quantized.onnx"), dir.textModel());
    assertEquals(root.resolve("onnx/vision_model_quantized.onnx"), dir.visionModel());
    assertTrue(dir.quantized());
    assertEquals("openai/clip-vit-base-patch32", dir.modelId());
    assertEquals(512, dir.projectionDim());
    PreprocessorConfig config = dir.preprocessorConfig();
    assertEquals(224, config.shortestEdge());
    assertEquals(224, config.cropHeight());
    assertEquals(224, config.cropWidth());
    assertEquals(PillowResampler.BICUBIC, config.resample());
    assertEquals(1 / 255.0, config.rescaleFactor());
    assertEquals(PreprocessorConfig.CLIP_MEAN, config.imageMean());
    assertEquals(PreprocessorConfig.CLIP_STD, config.imageStd());
    assertTrue(config.doConvertRgb());
  }

  @Test
  void forcedFp32UsesThePlainFiles() {
    ModelDirectory dir = ModelDirectory.open(root, ModelDirectory.Precision.FP32);
    assertEquals(root.resolve("onnx/text_model.onnx"), dir.textModel());
    assertEquals(root.resolve("onnx/vision_model.onnx"), dir.visionModel());
    assertFalse(dir.quantized());
  }

  @Test
  void fallsBackToFp32WhenNoQuantizedFileExists() throws IOException {
    Files.delete(root.resolve("onnx/text_model_quantized.onnx"));
    ModelDirectory dir = ModelDirectory.open(root, ModelDirectory.Precision.PREFER_QUANTIZED);
    assertEquals(root.resolve("onnx/text_model.onnx"), dir.textModel());
  }

  @Test
  void newStyleSizeDictsAreReadToo() throws IOException {
    Files.writeString(
        root.resolve("preprocessor_config.json"),
        """
        {"size": {"shortest_edge": 256}, "crop_size": {"height": 240, "width": 232},
         "rescale_factor": 0.5, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25],
         "resample": 2, "do_convert_rgb": false}
        """);
    PreprocessorConfig config =
        ModelDirectory.open(root, ModelDirectory.Precision.FP32).preprocessorConfig();
    assertEquals(256, config.shortestEdge());
    assertEquals(240, config.cropHeight());
    assertEquals(232, config.cropWidth());
    assertEquals(0.5, config.rescaleFactor());
    assertEquals(List.of(0.5, 0.5, 0.5), config.imageMean());
    assertEquals(PillowResampler.BILINEAR, config.resample());
    assertFalse(config.doConvertRgb());
  }

  @Test
  void modelIdFallsBackToTheFolderName() throws IOException {
    Files.writeString(root.resolve("config.json"), "{\"projection_dim\": 64}");
    assertEquals(
        root.getFileName().toString(),
        ModelDirectory.open(root, ModelDirectory.Precision.FP32).modelId());
  }

  @Test
  void aWeightsVersionTellsRetrainedModelsOfTheSameNameApart() throws IOException {
    Files.writeString(
        root.resolve("config.json"),
        "{\"_name_or_path\": \"tiny-clip\", \"image_search_weights_version\": \"535e60ab00c3\","
            + " \"projection_dim\": 64}");
    assertEquals(
        "tiny-clip@535e60ab00c3",
        ModelDirectory.open(root, ModelDirectory.Precision.FP32).modelId());
    // The shipped tiny model carries one, so an index of an earlier tiny model is never served.
    assertTrue(
        ModelDirectory.open(TinyClip.modelDir(), ModelDirectory.Precision.FP32)
            .modelId()
            .matches("tiny-clip@[0-9a-f]{12}"));
  }

  @Test
  void onlyTheProjectsOwnTestModelIsMarkedAsSuch() throws IOException {
    Files.writeString(
        root.resolve("config.json"),
        "{\"_name_or_path\": \"tiny-clip-lookalike\"," + " \"projection_dim\": 64}");
    // A name that merely contains "tiny" is not the test model: only its export's marker counts.
    assertFalse(ModelDirectory.open(root, ModelDirectory.Precision.FP32).isTestModel());
    assertTrue(
        ModelDirectory.open(TinyClip.modelDir(), ModelDirectory.Precision.FP32).isTestModel());
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Files.delete(root.resolve("tokenizer.json"));
    ImageSearchException e =
        assertThrows(
            ImageSearchException.class,
            () -> ModelDirectory.open(root, ModelDirectory.Precision.FP32));
    assertEquals("model file missing: " + root.resolve("tokenizer.json"), e.getMessage());

    Files.writeString(root.resolve("tokenizer.json"), "{}");
    Files.delete(root.resolve("onnx/text_model.onnx"));
    Files.delete(root.resolve("onnx/text_model_quantized.onnx"));
    e =
        assertThrows(
            ImageSearchException.class,
            () -> ModelDirectory.open(root, ModelDirectory.Precision.PREFER_QUANTIZED));
    assertEquals(
        "model file missing: neither "
            + root.resolve("onnx/text_model_quantized.onnx")
            + " nor "
            + root.resolve("onnx/text_model.onnx")
            + " exists",
        e.getMessage());
  }

  @Test
  void missingVisionModelIsReportedOnlyWhenAskedFor() throws IOException {
    Files.delete(root.resolve("onnx/vision_model.onnx"));
    ModelDirectory dir = ModelDirectory.open(root, ModelDirectory.Precision.FP32);
    ImageSearchException e = assertThrows(ImageSearchException.class, dir::visionModel);
    assertEquals("model file missing: " + root.resolve("onnx/vision_model.onnx"), e.getMessage());
  }

  @Test
  void missingFolderAndMissingProjectionDimAreClear() throws IOException {
    ImageSearchException e =
        assertThrows(
            ImageSearchException.class,
            () -> ModelDirectory.open(root.resolve("nope"), ModelDirectory.Precision.FP32));
    assertEquals(
        "model directory not found: " + root.resolve("nope").toAbsolutePath(), e.getMessage());

    Files.writeString(root.resolve("config.json"), "{}");
    e =
        assertThrows(
            ImageSearchException.class,
            () -> ModelDirectory.open(root, ModelDirectory.Precision.FP32));
    assertEquals("config.json in " + root + " has no positive \"projection_dim\"", e.getMessage());
  }
}
