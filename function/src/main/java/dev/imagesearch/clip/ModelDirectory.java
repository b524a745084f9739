package dev.imagesearch.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CLIP model folder in the layout of the public {@code Xenova/clip-vit-base-patch32} ONNX export,
 * checked once: {@code onnx/text_model_quantized.onnx} and {@code onnx/vision_model_quantized.onnx}
 * (preferred) or their fp32 twins {@code onnx/text_model.onnx} / {@code onnx/vision_model.onnx},
 * plus {@code tokenizer.json}, {@code preprocessor_config.json} and {@code config.json}.
 *
 * <p>The real model and the project's tiny test model share this layout, so one loader serves both.
 * The vision model is optional at open time (the query side never needs it); asking for it when
 * absent fails with the missing path.
 *
 * <pre>{@code
 * ModelDirectory dir = ModelDirectory.open(Path.of("work-data/model"), Precision.PREFER_QUANTIZED);
 * Path text = dir.textModel(); // .../onnx/text_model_quantized.onnx when present
 * }</pre>
 */
public final class ModelDirectory {

  /** Which ONNX files to use. */
  public enum Precision {
    /** The int8 {@code *_quantized.onnx} files when present, else fp32. */
    PREFER_QUANTIZED,
    /** Always the fp32 files (parity tests, reference embeddings). */
    FP32
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** config.json key naming which weights a retrained model under the same name carries. */
  static final String WEIGHTS_VERSION = "image_search_weights_version";

  private final Path root;
  private final Precision precision;
  private final Path textModel;
  private final Path tokenizerJson;
  private final String modelId;
  private final boolean testModel;
  private final int projectionDim;
  private final PreprocessorConfig preprocessorConfig;

  private ModelDirectory(Path root, Precision precision) {
    this.root = root;
    this.precision = precision;
    if (!Files.isDirectory(root)) {
      throw new ImageSearchException("model directory not found: " + root.toAbsolutePath());
    }
    this.textModel = pickOnnx("text_model");
    this.tokenizerJson = required("tokenizer.json");
    JsonNode config = readJson(required("config.json"));
    this.preprocessorConfig =
        PreprocessorConfig.fromJson(readJson(required("preprocessor_config.json")));
    this.projectionDim = config.path("projection_dim").asInt(0);
    if (projectionDim <= 0) {
      throw new ImageSearchException(
          "config.json in " + root + " has no positive \"projection_dim\"");
    }
    String name = config.path("_name_or_path").asText("");
    Path folderName = root.toAbsolutePath().normalize().getFileName();
    String version = config.path(WEIGHTS_VERSION).asText("");
    this.testModel = !version.isBlank();
    this.modelId =
        (name.isBlank() ? String.valueOf(folderName) : name)
            + (version.isBlank() ? "" : "@" + version);
  }

  /**
   * Opens and validates {@code root}; throws {@link ImageSearchException} naming a missing file.
   */
  public static ModelDirectory open(Path root, Precision precision) {
    return new ModelDirectory(root, precision);
  }

  public Path root() {
    return root;
  }

  /** The text model chosen by the precision rule. */
  public Path textModel() {
    return textModel;
  }

  /** The vision model chosen by the precision rule; checked on demand. */
  public Path visionModel() {
    return pickOnnx("vision_model");
  }

  /** True when the text model in use is the int8 one. */
  public boolean quantized() {
    return isQuantized(textModel);
  }

  /** Whether an ONNX file of this layout is the int8 one ({@code *_quantized.onnx}). */
  static boolean isQuantized(Path onnxFile) {
    return onnxFile.getFileName().toString().endsWith("_quantized.onnx");
  }

  public Path tokenizerJson() {
    return tokenizerJson;
  }

  /**
   * {@code _name_or_path} from config.json, else the folder name; followed by {@code @} and {@code
   * image_search_weights_version} when config.json has one (the tiny model's export writes a hash
   * of its weights there, so that indexes of an earlier tiny model are not mistaken for current).
   * Index manifests record this id; the server refuses an index with another one.
   */
  public String modelId() {
    return modelId;
  }

  /** Embedding dimension ({@code projection_dim} in config.json). */
  /**
   * Whether this is the project's own small test model: its export ({@code
   * function/tools/tinyclip/export.py}) records {@value #WEIGHTS_VERSION} in config.json, which no
   * public CLIP export (and none of the random-weight benchmark models) has.
   */
  public boolean isTestModel() {
    return testModel;
  }

  public int projectionDim() {
    return projectionDim;
  }

  public PreprocessorConfig preprocessorConfig() {
    return preprocessorConfig;
  }

  private Path pickOnnx(String baseName) {
    Path fp32 = root.resolve("onnx").resolve(baseName + ".onnx");
    Path int8 = root.resolve("onnx").resolve(baseName + "_quantized.onnx");
    if (precision == Precision.PREFER_QUANTIZED && Files.isRegularFile(int8)) {
      return int8;
    }
    if (Files.isRegularFile(fp32)) {
      return fp32;
    }
    throw new ImageSearchException(
        precision == Precision.FP32
            ? "model file missing: " + fp32
            : "model file missing: neither " + int8 + " nor " + fp32 + " exists");
  }

  private Path required(String name) {
    Path file = root.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new ImageSearchException("model file missing: " + file);
    }
    return file;
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
