package dev.imagesearch.index;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes real-world image files with ImageIO and the TwelveMonkeys plugins on the classpath: JPEG
 * (including CMYK, YCCK and grayscale, with EXIF orientation applied), PNG (RGBA, 16-bit, palette),
 * GIF (first frame), BMP and WebP. The only class of the indexer that catches ImageIO's exceptions:
 * every failure becomes an {@link ImageRejectedException} with a reason.
 *
 * <p>Guards, before any pixel is allocated: the reader's declared width and height must give at
 * most {@code maxPixels} (a 30,000 x 30,000 header in a 1 KB file is refused, not decoded). A JPEG
 * whose data ends early is refused too, although the decoder would return it with a grey bottom.
 *
 * <pre>{@code
 * ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
 * DecodedImage photo = decoder.decode(bytes); // throws ImageRejectedException with a reason
 * }</pre>
 */
public final class ImageDecoder {
  /** 100 megapixels: larger than any camera photo, small enough to decode on a 1 GB machine. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  static {
    // Decode from memory without ImageIO's temporary cache files.
    ImageIO.setUseCache(false);
  }

  private final long maxPixels;

  public ImageDecoder(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  public long maxPixels() {
    return maxPixels;
  }

  /** Decodes {@code bytes}; throws {@link ImageRejectedException} saying why it cannot. */
  public DecodedImage decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new ImageRejectedException("empty file (0 bytes)");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRejectedException(
            "not an image in a supported format (JPEG, PNG, GIF, BMP, WebP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkSize(width, height);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        for (String warning : warnings) {
          if (meansTruncated(warning)) {
            throw new ImageRejectedException("truncated or corrupt " + format + ": " + warning);
          }
        }
        if (format.equals("jpeg") || format.equals("jpg")) {
          image = ExifOrientation.apply(image, ExifOrientation.read(bytes));
        }
        return new DecodedImage(image, format.equals("jpg") ? "jpeg" : format);
      } finally {
        reader.dispose();
      }
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException("cannot decode: " + describe(e));
    } catch (OutOfMemoryError e) {
      // One huge image must not end the run; the others still fit.
      throw new ImageRejectedException("too large to decode in the available memory");
    }
  }

  private void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new ImageRejectedException("declares an empty size " + width + " x " + height);
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ImageRejectedException(
          String.format(
              Locale.ROOT,
              "%d x %d is %.1f megapixels, over the limit of %.1f (decompression-bomb guard)",
              width,
              height,
              pixels / 1e6,
              maxPixels / 1e6));
    }
  }

  private static boolean meansTruncated(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncat") || w.contains("unexpected end");
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    Throwable cause = e.getCause();
    while ((message == null || message.isBlank()) && cause != null) {
      message = cause.getMessage();
      cause = cause.getCause();
    }
    String kind = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : message.strip() + " (" + kind + ")";
  }
}
