package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;

/**
 * Pillow's convolution resampling ({@code libImaging/Resample.c}) for 8-bit RGB, reproduced exactly
 * so that Java preprocessing gives the pixels the Python CLIP reference gives.
 *
 * <p>What makes it Pillow's and not textbook bicubic:
 *
 * <ul>
 *   <li>when shrinking, the filter's support is widened by the scale factor, so every input pixel
 *       contributes (antialiasing);
 *   <li>each output pixel's weights are normalised to sum to one, then turned into 22-bit fixed
 *       point ({@code PRECISION_BITS = 32 - 8 - 2}), rounding half away from zero;
 *   <li>the image is resized horizontally first, rounded and clamped to 8 bits, then vertically; a
 *       pass whose size does not change is skipped.
 * </ul>
 *
 * <p>Callers may ask for a window of the output (the centre crop) only: each output pixel depends
 * on its own coefficients alone, so the values equal those of a full resize followed by a crop.
 *
 * <pre>{@code
 * PillowResampler.Axis columns = PillowResampler.axis(640, 298, 37, 224, PillowResampler.BICUBIC);
 * }</pre>
 */
public final class PillowResampler {
  /** Pillow's resample codes, as stored in {@code preprocessor_config.json}. */
  public static final int LANCZOS = 1;

  public static final int BILINEAR = 2;
  public static final int BICUBIC = 3;
  public static final int BOX = 4;
  public static final int HAMMING = 5;

  static final int PRECISION_BITS = 32 - 8 - 2;

  private PillowResampler() {}

  /**
   * Fixed-point weights of a window of output positions along one axis: output {@code i} of the
   * window ({@code first + i} of the full resize) reads inputs {@code start[i] ..
   * start[i]+count[i]-1} with weights {@code weights[i*stride ..]}.
   */
  public static final class Axis {
    final int[] start;
    final int[] count;
    final int[] weights;
    final int stride;

    Axis(int[] start, int[] count, int[] weights, int stride) {
      this.start = start;
      this.count = count;
      this.weights = weights;
      this.stride = stride;
    }

    /** Number of output positions in the window. */
    public int length() {
      return start.length;
    }

    /** First input position read by the window. */
    public int firstInput() {
      return start.length == 0 ? 0 : start[0];
    }

    /** One past the last input position read by the window. */
    public int endInput() {
      int end = 0;
      for (int i = 0; i < start.length; i++) {
        end = Math.max(end, start[i] + count[i]);
      }
      return end;
    }
  }

  /**
   * Coefficients for resizing {@code inSize} to {@code outSize}, for output positions {@code first
   * .. first+length-1}, following Pillow's {@code precompute_coeffs} and {@code
   * normalize_coeffs_8bpc}.
   */
  public static Axis axis(int inSize, int outSize, int first, int length, int filter) {
    double support0 = support(filter);
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = support0 * filterScale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] start = new int[length];
    int[] count = new int[length];
    int[] weights = new int[length * ksize];
    double[] k = new double[ksize];
    double ss = 1.0 / filterScale;
    for (int i = 0; i < length; i++) {
      int xx = first + i;
      double center = (xx + 0.5) * scale;
      int xmin = Math.max(0, (int) (center - support + 0.5));
      int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
      double ww = 0.0;
      for (int x = 0; x < xmax; x++) {
        double w = filter(filter, (x + xmin - center + 0.5) * ss);
        k[x] = w;
        ww += w;
      }
      for (int x = 0; x < xmax; x++) {
        double w = ww != 0.0 ? k[x] / ww : k[x];
        weights[i * ksize + x] =
            w < 0
                ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                : (int) (0.5 + w * (1 << PRECISION_BITS));
      }
      start[i] = xmin;
      count[i] = Math.max(0, xmax);
    }
    return new Axis(start, count, weights, ksize);
  }

  /**
   * Horizontal pass over RGB rows {@code rowFrom .. rowTo-1} of {@code src} (width {@code
   * srcWidth}), writing {@code cols.start.length} columns per row into {@code dst}, row {@code
   * rowFrom} first.
   */
  public static void horizontal(
      byte[] src, int srcWidth, int rowFrom, int rowTo, Axis cols, byte[] dst) {
    int outW = cols.start.length;
    int[] weights = cols.weights;
    int o = 0;
    for (int y = rowFrom; y < rowTo; y++) {
      int rowBase = y * srcWidth * 3;
      for (int xx = 0; xx < outW; xx++) {
        int p = rowBase + cols.start[xx] * 3;
        int kBase = xx * cols.stride;
        int n = cols.count[xx];
        int s0 = 1 << (PRECISION_BITS - 1);
        int s1 = s0;
        int s2 = s0;
        for (int x = 0; x < n; x++, p += 3) {
          int w = weights[kBase + x];
          s0 += (src[p] & 0xff) * w;
          s1 += (src[p + 1] & 0xff) * w;
          s2 += (src[p + 2] & 0xff) * w;
        }
        dst[o++] = clip8(s0);
        dst[o++] = clip8(s1);
        dst[o++] = clip8(s2);
      }
    }
  }

  /**
   * Vertical pass: {@code src} holds RGB rows of width {@code width}, its first row being input row
   * {@code srcRowOffset}; writes {@code rows.start.length} rows into {@code dst}.
   */
  public static void vertical(byte[] src, int width, int srcRowOffset, Axis rows, byte[] dst) {
    int stride = width * 3;
    int[] weights = rows.weights;
    int[] sums = new int[stride];
    int o = 0;
    for (int yy = 0; yy < rows.start.length; yy++) {
      int kBase = yy * rows.stride;
      int n = rows.count[yy];
      int base = (rows.start[yy] - srcRowOffset) * stride;
      java.util.Arrays.fill(sums, 1 << (PRECISION_BITS - 1));
      // Row by row, so memory is read in order; the sums are the same as Pillow's per pixel.
      for (int y = 0; y < n; y++) {
        int w = weights[kBase + y];
        int p = base + y * stride;
        for (int c = 0; c < stride; c++) {
          sums[c] += (src[p + c] & 0xff) * w;
        }
      }
      for (int c = 0; c < stride; c++) {
        dst[o++] = clip8(sums[c]);
      }
    }
  }

  private static byte clip8(int value) {
    int v = value >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
  }

  static double support(int filter) {
    return switch (filter) {
      case BOX -> 0.5;
      case BILINEAR, HAMMING -> 1.0;
      case BICUBIC -> 2.0;
      case LANCZOS -> 3.0;
      default ->
          throw new ImageSearchException(
              "unsupported resample filter "
                  + filter
                  + " in preprocessor_config.json (supported: 1 lanczos, 2 bilinear, 3 bicubic,"
                  + " 4 box, 5 hamming)");
    };
  }

  static double filter(int filter, double x) {
    switch (filter) {
      case BOX:
        return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
      case BILINEAR:
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
      case HAMMING:
        x = Math.abs(x);
        if (x == 0.0) {
          return 1.0;
        }
        if (x >= 1.0) {
          return 0.0;
        }
        x = x * Math.PI;
        return Math.sin(x) / x * (0.54f + 0.46f * Math.cos(x));
      case BICUBIC:
        {
          final double a = -0.5;
          x = Math.abs(x);
          if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
          }
          if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
          }
          return 0.0;
        }
      case LANCZOS:
        return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
      default:
        throw new ImageSearchException("unsupported resample filter " + filter);
    }
  }

  private static double sinc(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    x = x * Math.PI;
    return Math.sin(x) / x;
  }
}
