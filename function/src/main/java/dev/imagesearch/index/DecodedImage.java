package dev.imagesearch.index;

import java.awt.image.BufferedImage;

/**
 * A decoded picture turned upright.
 *
 * @param image the pixels, EXIF orientation applied
 * @param format the reader's format name in lower case ({@code jpeg}, {@code png}, ...)
 */
public record DecodedImage(BufferedImage image, String format) {
  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }
}
