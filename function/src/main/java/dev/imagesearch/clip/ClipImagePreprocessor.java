package dev.imagesearch.clip;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * CLIP image preprocessing as Hugging Face's {@code CLIPImageProcessor} does it with the settings
 * of a {@code preprocessor_config.json}: convert to RGB ({@link RgbConverter}), resize the shortest
 * side to {@code shortest_edge} with Pillow's resampling ({@link PillowResampler}), centre-crop,
 * rescale, normalize with the configured mean and std, channels first.
 *
 * <p>Only the pixels that survive the crop are resampled (identical values, less work). Stateless
 * apart from the configuration, so one instance serves all threads.
 *
 * <pre>{@code
 * ClipImagePreprocessor pre = new ClipImagePreprocessor(modelDirectory.preprocessorConfig());
 * float[] pixels = pre.preprocess(ImageIO.read(file)); // 3 * 224 * 224, ready for pixel_values
 * }</pre>
 */
public final class ClipImagePreprocessor {
  private final PreprocessorConfig config;
  private final int outH;
  private final int outW;
  private final float[] scale = new float[3];
  private final float[] shift = new float[3];

  public ClipImagePreprocessor(PreprocessorConfig config) {
    this.config = config;
    this.outH = config.outputHeight();
    this.outW = config.outputWidth();
    PillowResampler.support(config.resample()); // fail at load time on an unknown filter
    // value = (pixel * rescale - mean) / std, folded into pixel * scale + shift.
    double rescale = config.doRescale() ? config.rescaleFactor() : 1.0;
    List<Double> mean = config.imageMean();
    List<Double> std = config.imageStd();
    for (int c = 0; c < 3; c++) {
      double m = config.doNormalize() ? mean.get(c) : 0.0;
      double s = config.doNormalize() ? std.get(c) : 1.0;
      scale[c] = (float) (rescale / s);
      shift[c] = (float) (-m / s);
    }
  }

  public PreprocessorConfig config() {
    return config;
  }

  /** Floats per preprocessed image ({@code 3 * height * width}). */
  public int tensorSize() {
    return 3 * outH * outW;
  }

  public int height() {
    return outH;
  }

  public int width() {
    return outW;
  }

  /** The {@code pixel_values} of one image, channel-first {@code [3][height][width]}. */
  public float[] preprocess(BufferedImage image) {
    float[] out = new float[tensorSize()];
    preprocessInto(image, out, 0);
    return out;
  }

  /** Writes the {@code pixel_values} of {@code image} into {@code out} from {@code offset}. */
  public void preprocessInto(BufferedImage image, float[] out, int offset) {
    normalize(resizeAndCrop(image), out, offset);
  }

  /**
   * The 8-bit RGB pixels after resize and centre crop, before rescale and normalization, as
   * row-major interleaved {@code height * width * 3} bytes (what parity tests compare).
   */
  public byte[] resizeAndCrop(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = RgbConverter.toRgb(image);
    int resizedW = w;
    int resizedH = h;
    if (config.doResize()) {
      if (config.shortestEdge() > 0) {
        int edge = config.shortestEdge();
        // transformers' get_resize_output_image_size: int(edge * long / short).
        int longSide = (int) ((double) ((long) edge * Math.max(w, h)) / Math.min(w, h));
        resizedW = w <= h ? edge : longSide;
        resizedH = w <= h ? longSide : edge;
      } else {
        resizedW = config.resizeWidth();
        resizedH = config.resizeHeight();
      }
    }
    int cropH = config.doCenterCrop() ? config.cropHeight() : resizedH;
    int cropW = config.doCenterCrop() ? config.cropWidth() : resizedW;
    // transformers' center_crop: top = (h - crop) // 2; a smaller image is zero-padded around it.
    int top = cropOrigin(resizedH, cropH);
    int left = cropOrigin(resizedW, cropW);
    int rowFrom = Math.max(0, top);
    int rowTo = Math.min(resizedH, top + cropH);
    int colFrom = Math.max(0, left);
    int colTo = Math.min(resizedW, left + cropW);
    int cols = colTo - colFrom;
    int rows = rowTo - rowFrom;

    // Horizontal pass first (Pillow's order), over the input rows the vertical pass will read.
    byte[] wide;
    PillowResampler.Axis vertical = null;
    int srcRowFrom = rowFrom;
    int srcRowTo = rowTo;
    if (resizedH != h) {
      vertical = PillowResampler.axis(h, resizedH, rowFrom, rows, config.resample());
      srcRowFrom = vertical.firstInput();
      srcRowTo = vertical.endInput();
    }
    if (resizedW != w) {
      PillowResampler.Axis horizontal =
          PillowResampler.axis(w, resizedW, colFrom, cols, config.resample());
      wide = new byte[(srcRowTo - srcRowFrom) * cols * 3];
      PillowResampler.horizontal(rgb, w, srcRowFrom, srcRowTo, horizontal, wide);
    } else {
      wide = copyWindow(rgb, w, srcRowFrom, srcRowTo, colFrom, cols);
    }
    byte[] window;
    if (vertical != null) {
      window = new byte[rows * cols * 3];
      PillowResampler.vertical(wide, cols, srcRowFrom, vertical, window);
    } else {
      window = wide;
    }
    if (rows == cropH && cols == cropW) {
      return window;
    }
    byte[] padded = new byte[cropH * cropW * 3];
    int padTop = rowFrom - top;
    int padLeft = colFrom - left;
    for (int y = 0; y < rows; y++) {
      System.arraycopy(
          window, y * cols * 3, padded, ((padTop + y) * cropW + padLeft) * 3, cols * 3);
    }
    return padded;
  }

  /** Rescale and normalize interleaved 8-bit RGB into channel-first floats. */
  public void normalize(byte[] hwc, float[] out, int offset) {
    int plane = outH * outW;
    if (hwc.length != plane * 3) {
      throw new IllegalArgumentException("expected " + plane * 3 + " bytes, got " + hwc.length);
    }
    float s0 = scale[0];
    float s1 = scale[1];
    float s2 = scale[2];
    float t0 = shift[0];
    float t1 = shift[1];
    float t2 = shift[2];
    for (int i = 0, p = 0; i < plane; i++, p += 3) {
      out[offset + i] = (hwc[p] & 0xff) * s0 + t0;
      out[offset + plane + i] = (hwc[p + 1] & 0xff) * s1 + t1;
      out[offset + 2 * plane + i] = (hwc[p + 2] & 0xff) * s2 + t2;
    }
  }

  private static int cropOrigin(int size, int crop) {
    if (size >= crop) {
      return (size - crop) / 2;
    }
    // transformers pads ceil((crop - size) / 2) before and crops from 0: the image starts there.
    return -((crop - size + 1) / 2);
  }

  private static byte[] copyWindow(
      byte[] rgb, int width, int rowFrom, int rowTo, int colFrom, int cols) {
    if (colFrom == 0 && cols == width && rowFrom == 0 && (long) rowTo * width * 3 == rgb.length) {
      return rgb;
    }
    byte[] out = new byte[(rowTo - rowFrom) * cols * 3];
    for (int y = rowFrom; y < rowTo; y++) {
      System.arraycopy(rgb, (y * width + colFrom) * 3, out, (y - rowFrom) * cols * 3, cols * 3);
    }
    return out;
  }
}
