package dev.imagesearch.clip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagesearch.ImageSearchException;
import java.util.List;

/**
 * The settings of a Hugging Face {@code CLIPImageProcessor}, read from {@code
 * preprocessor_config.json}. Missing keys take the processor's own defaults, so a config written by
 * any transformers version (old {@code "size": 224} or new {@code {"shortest_edge": 224}}) reads
 * the same.
 *
 * <p>{@code shortestEdge > 0} means "resize the shortest side to this"; otherwise the image is
 * resized to exactly {@code resizeHeight} x {@code resizeWidth}.
 *
 * <pre>{@code
 * PreprocessorConfig config = PreprocessorConfig.fromJson(jsonNode);
 * int side = config.cropHeight(); // 224 for CLIP ViT-B/32
 * }</pre>
 */
public record PreprocessorConfig(
    boolean doResize,
    int shortestEdge,
    int resizeHeight,
    int resizeWidth,
    int resample,
    boolean doCenterCrop,
    int cropHeight,
    int cropWidth,
    boolean doRescale,
    double rescaleFactor,
    boolean doNormalize,
    List<Double> imageMean,
    List<Double> imageStd,
    boolean doConvertRgb) {

  /** The values CLIP ViT-B/32 ships with (used by tests and as documentation). */
  public static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);

  public static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

  public PreprocessorConfig {
    imageMean = List.copyOf(imageMean);
    imageStd = List.copyOf(imageStd);
    if (imageMean.size() != 3 || imageStd.size() != 3) {
      throw new ImageSearchException(
          "preprocessor_config.json: image_mean and image_std need 3 values, got "
              + imageMean
              + " and "
              + imageStd);
    }
    if (doCenterCrop && (cropHeight <= 0 || cropWidth <= 0)) {
      throw new ImageSearchException("preprocessor_config.json: crop_size must be positive");
    }
    if (doResize && shortestEdge <= 0 && (resizeHeight <= 0 || resizeWidth <= 0)) {
      throw new ImageSearchException(
          "preprocessor_config.json: size needs shortest_edge or height and width");
    }
  }

  /** Reads a parsed {@code preprocessor_config.json}, applying CLIPImageProcessor's defaults. */
  public static PreprocessorConfig fromJson(JsonNode json) {
    JsonNode size = json.path("size");
    int shortest = 224;
    int height = 0;
    int width = 0;
    if (size.isInt()) {
      shortest = size.asInt();
    } else if (size.has("shortest_edge")) {
      shortest = size.get("shortest_edge").asInt();
    } else if (size.has("height") && size.has("width")) {
      shortest = 0;
      height = size.get("height").asInt();
      width = size.get("width").asInt();
    }
    JsonNode crop = json.path("crop_size");
    int cropH = 224;
    int cropW = 224;
    if (crop.isInt()) {
      cropH = cropW = crop.asInt();
    } else if (crop.has("height")) {
      cropH = crop.get("height").asInt();
      cropW = crop.path("width").asInt(cropH);
    }
    return new PreprocessorConfig(
        json.path("do_resize").asBoolean(true),
        shortest,
        height,
        width,
        json.path("resample").asInt(PillowResampler.BICUBIC),
        json.path("do_center_crop").asBoolean(true),
        cropH,
        cropW,
        json.path("do_rescale").asBoolean(true),
        json.path("rescale_factor").asDouble(1.0 / 255.0),
        json.path("do_normalize").asBoolean(true),
        doubles(json.path("image_mean"), CLIP_MEAN),
        doubles(json.path("image_std"), CLIP_STD),
        json.path("do_convert_rgb").asBoolean(true));
  }

  /** Height and width of the tensor the model receives. */
  public int outputHeight() {
    return doCenterCrop ? cropHeight : shortestEdge > 0 ? shortestEdge : resizeHeight;
  }

  public int outputWidth() {
    return doCenterCrop ? cropWidth : shortestEdge > 0 ? shortestEdge : resizeWidth;
  }

  private static List<Double> doubles(JsonNode node, List<Double> fallback) {
    if (!node.isArray()) {
      return fallback;
    }
    return java.util.stream.StreamSupport.stream(node.spliterator(), false)
        .map(JsonNode::asDouble)
        .toList();
  }
}
