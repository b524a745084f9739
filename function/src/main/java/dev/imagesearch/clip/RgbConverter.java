package dev.imagesearch.clip;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Turns a decoded image into 8-bit interleaved RGB the way Pillow's {@code convert("RGB")} does,
 * which is what the Python CLIP preprocessing sees:
 *
 * <ul>
 *   <li>RGB samples are taken as stored; an embedded colour profile is ignored, as Pillow does;
 *   <li>alpha is dropped, not composited over a background;
 *   <li>grayscale is replicated into the three channels (no gamma conversion, which Java's {@code
 *       getRGB} would apply to its linear gray colour space);
 *   <li>palette images are looked up in their palette;
 *   <li>16-bit samples keep their high byte (Pillow's {@code RGB;16B} unpacker does the same for
 *       RGB; for 16-bit grayscale Pillow clips to 255, which we deliberately do not copy);
 *   <li>anything else (CMYK, YCCK, other colour spaces, premultiplied alpha) goes through the
 *       image's own colour conversion ({@code BufferedImage.getRGB}).
 * </ul>
 *
 * <pre>{@code
 * byte[] rgb = RgbConverter.toRgb(ImageIO.read(file)); // width * height * 3 bytes
 * }</pre>
 */
public final class RgbConverter {
  private RgbConverter() {}

  /** Row-major, interleaved R, G, B bytes of {@code image} ({@code width * height * 3}). */
  public static byte[] toRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()) {
      int type = cm.getColorSpace().getType();
      int colours = cm.getNumColorComponents();
      boolean rgb = type == ColorSpace.TYPE_RGB && colours == 3;
      boolean gray = type == ColorSpace.TYPE_GRAY && colours == 1;
      if (rgb || gray) {
        if (!interleavedBytes(raster, gray, out)) {
          samples(raster, cm, gray, out);
        }
        return out;
      }
    }
    if (cm instanceof DirectColorModel direct && packedIntRgb(raster, direct, out)) {
      return out;
    }
    if (cm instanceof IndexColorModel palette) {
      paletteLookup(raster, palette, out);
      return out;
    }
    argb(image, out);
    return out;
  }

  /** Fast path: 8-bit samples interleaved in one byte array (JPEG, PNG). */
  private static boolean interleavedBytes(Raster raster, boolean gray, byte[] out) {
    if (!(raster.getSampleModel() instanceof ComponentSampleModel sm)
        || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || buffer.getNumBanks() != 1) {
      return false;
    }
    int[] bandOffsets = sm.getBandOffsets();
    for (int bank : sm.getBankIndices()) {
      if (bank != 0) {
        return false;
      }
    }
    byte[] data = buffer.getData();
    int w = raster.getWidth();
    int h = raster.getHeight();
    int pixelStride = sm.getPixelStride();
    int tx = raster.getMinX() - raster.getSampleModelTranslateX();
    int ty = raster.getMinY() - raster.getSampleModelTranslateY();
    int r = bandOffsets[0];
    int g = gray ? r : bandOffsets[1];
    int b = gray ? r : bandOffsets[2];
    int o = 0;
    for (int y = 0; y < h; y++) {
      int p = buffer.getOffset() + (ty + y) * sm.getScanlineStride() + tx * pixelStride;
      for (int x = 0; x < w; x++, p += pixelStride) {
        out[o++] = data[p + r];
        out[o++] = data[p + g];
        out[o++] = data[p + b];
      }
    }
    return true;
  }

  /**
   * Fast path for {@code TYPE_INT_RGB} / {@code TYPE_INT_ARGB}: sRGB packed in ints, read directly
   * ({@code getRGB} would go through the colour model pixel by pixel, 10x slower).
   */
  private static boolean packedIntRgb(Raster raster, DirectColorModel cm, byte[] out) {
    if (!cm.getColorSpace().isCS_sRGB()
        || cm.isAlphaPremultiplied()
        || cm.getRedMask() != 0xff0000
        || cm.getGreenMask() != 0xff00
        || cm.getBlueMask() != 0xff
        || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm)
        || !(raster.getDataBuffer() instanceof DataBufferInt buffer)
        || buffer.getNumBanks() != 1) {
      return false;
    }
    int[] data = buffer.getData();
    int w = raster.getWidth();
    int tx = raster.getMinX() - raster.getSampleModelTranslateX();
    int ty = raster.getMinY() - raster.getSampleModelTranslateY();
    int o = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      int p = buffer.getOffset() + (ty + y) * sm.getScanlineStride() + tx;
      for (int x = 0; x < w; x++) {
        int v = data[p + x];
        out[o++] = (byte) (v >>> 16);
        out[o++] = (byte) (v >>> 8);
        out[o++] = (byte) v;
      }
    }
    return true;
  }

  /** Any other sample layout or depth of an RGB or gray image, read sample by sample. */
  private static void samples(Raster raster, ColorModel cm, boolean gray, byte[] out) {
    int w = raster.getWidth();
    int bands = raster.getNumBands();
    int bits = cm.getComponentSize(0);
    int[] row = new int[w * bands];
    int o = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int p = x * bands;
        int r = to8Bits(row[p], bits);
        out[o++] = (byte) r;
        out[o++] = (byte) (gray ? r : to8Bits(row[p + 1], bits));
        out[o++] = (byte) (gray ? r : to8Bits(row[p + 2], bits));
      }
    }
  }

  private static int to8Bits(int sample, int bits) {
    if (bits == 8) {
      return sample;
    }
    if (bits > 8) {
      return sample >>> (bits - 8);
    }
    // 1, 2 or 4-bit gray: Pillow scales to the full 0..255 range.
    return Math.round(sample * 255f / ((1 << bits) - 1));
  }

  private static void paletteLookup(Raster raster, IndexColorModel palette, byte[] out) {
    int w = raster.getWidth();
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int index = row[x];
        out[o++] = (byte) palette.getRed(index);
        out[o++] = (byte) palette.getGreen(index);
        out[o++] = (byte) palette.getBlue(index);
      }
    }
  }

  private static void argb(BufferedImage image, byte[] out) {
    int w = image.getWidth();
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int v = row[x];
        out[o++] = (byte) (v >>> 16);
        out[o++] = (byte) (v >>> 8);
        out[o++] = (byte) v;
      }
    }
  }
}
