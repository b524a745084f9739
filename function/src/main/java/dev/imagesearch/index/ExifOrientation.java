package dev.imagesearch.index;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 in IFD0 of the {@code Exif} APP1 segment) and the
 * transform that shows the picture upright, as cameras mean it and browsers display it.
 *
 * <p>The segment is parsed here rather than through ImageIO metadata: it is a few dozen bytes at a
 * known place, and a broken EXIF block must never make an otherwise readable photo fail, so any
 * inconsistency just means "no orientation" (1).
 *
 * <pre>{@code
 * int orientation = ExifOrientation.read(jpegBytes); // 1..8, 1 = as stored
 * BufferedImage upright = ExifOrientation.apply(decoded, orientation);
 * }</pre>
 */
public final class ExifOrientation {
  private static final int TAG_ORIENTATION = 0x0112;

  private ExifOrientation() {}

  /** The orientation (1..8) of a JPEG file's bytes; 1 when absent, unreadable or not a JPEG. */
  public static int read(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
      return 1;
    }
    int p = 2;
    while (p + 4 <= jpeg.length) {
      if ((jpeg[p] & 0xff) != 0xFF) {
        return 1;
      }
      int marker = jpeg[p + 1] & 0xff;
      if (marker == 0xFF) {
        p++; // fill byte
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return 1; // start of scan or end of image: no EXIF before the pixels
      }
      int length = u16(jpeg, p + 2, false);
      if (length < 2 || p + 2 + length > jpeg.length) {
        return 1;
      }
      if (marker == 0xE1 && length >= 8 && isExifHeader(jpeg, p + 4)) {
        return fromTiff(jpeg, p + 10, p + 2 + length);
      }
      p += 2 + length;
    }
    return 1;
  }

  private static boolean isExifHeader(byte[] b, int at) {
    return b[at] == 'E'
        && b[at + 1] == 'x'
        && b[at + 2] == 'i'
        && b[at + 3] == 'f'
        && b[at + 4] == 0
        && b[at + 5] == 0;
  }

  /** Reads the orientation entry of IFD0 of the TIFF structure in {@code b[start..end)}. */
  private static int fromTiff(byte[] b, int start, int end) {
    if (start + 8 > end) {
      return 1;
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    long ifd = u32(b, start + 4, little);
    if (ifd < 8 || start + ifd + 2 > end) {
      return 1;
    }
    int p = start + (int) ifd;
    int entries = u16(b, p, little);
    p += 2;
    for (int i = 0; i < entries && p + 12 <= end; i++, p += 12) {
      if (u16(b, p, little) == TAG_ORIENTATION) {
        int type = u16(b, p + 2, little);
        int value = type == 3 ? u16(b, p + 8, little) : type == 4 ? (int) u32(b, p + 8, little) : 0;
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int p, boolean little) {
    return little ? (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 : (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
  }

  private static long u32(byte[] b, int p, boolean little) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      int shift = little ? 8 * i : 8 * (3 - i);
      v |= (b[p + i] & 0xffL) << shift;
    }
    return v;
  }

  /** True when {@code orientation} swaps width and height (5..8: a quarter turn). */
  public static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /**
   * {@code image} turned upright for {@code orientation} (1 returns it unchanged). Works for any
   * colour model: pixels are copied sample by sample into a raster of the same kind.
   */
  public static BufferedImage apply(BufferedImage image, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = swapsAxes(orientation);
    int outW = swap ? h : w;
    int outH = swap ? w : h;
    Raster src = image.getRaster();
    WritableRaster dst = image.getColorModel().createCompatibleWritableRaster(outW, outH);
    int bands = src.getNumBands();
    int[] row = new int[w * bands];
    int[] pixel = new int[bands];
    for (int y = 0; y < h; y++) {
      src.getPixels(src.getMinX(), src.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        // Where the stored pixel (x, y) lands in the upright picture (EXIF 2.32, tag 274).
        int tx;
        int ty;
        switch (orientation) {
          case 2 -> {
            tx = w - 1 - x;
            ty = y;
          }
          case 3 -> {
            tx = w - 1 - x;
            ty = h - 1 - y;
          }
          case 4 -> {
            tx = x;
            ty = h - 1 - y;
          }
          case 5 -> {
            tx = y;
            ty = x;
          }
          case 6 -> {
            tx = h - 1 - y;
            ty = x;
          }
          case 7 -> {
            tx = h - 1 - y;
            ty = w - 1 - x;
          }
          default -> { // 8
            tx = y;
            ty = w - 1 - x;
          }
        }
        System.arraycopy(row, x * bands, pixel, 0, bands);
        dst.setPixel(tx, ty, pixel);
      }
    }
    return new BufferedImage(
        image.getColorModel(), dst, image.getColorModel().isAlphaPremultiplied(), null);
  }
}
