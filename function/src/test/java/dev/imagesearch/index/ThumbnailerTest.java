package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Thumbnails: size rule, colours kept through box reduction and bicubic, alpha on white. */
class ThumbnailerTest {
  private final Thumbnailer thumbnailer = Thumbnailer.defaults();

  @Test
  void longestSideBecomes320AndSmallImagesKeepTheirSize() {
    assertEquals(320, thumbnailer.size(4000, 3000)[0]);
    assertEquals(240, thumbnailer.size(4000, 3000)[1]);
    assertEquals(53, thumbnailer.size(300, 1800)[0], "300 * 320 / 1800 = 53.3");
    assertEquals(320, thumbnailer.size(300, 1800)[1]);
    assertEquals(100, thumbnailer.size(100, 50)[0], "never upscaled");
    assertEquals(1, thumbnailer.size(10_000, 10)[1], "at least one pixel");
  }

  @Test
  void aLargePhotoShrinksWithItsColours() throws IOException {
    // 2000 x 1000: box-reduced by 3 (2000/320/2), then bicubic to 320 x 160.
    BufferedImage thumb =
        decode(thumbnailer.jpeg(TestImages.halves(2000, 1000, Color.RED, Color.BLUE)));
    assertEquals(320, thumb.getWidth());
    assertEquals(160, thumb.getHeight());
    assertNear(new Color(255, 0, 0), new Color(thumb.getRGB(40, 80)));
    assertNear(new Color(0, 0, 255), new Color(thumb.getRGB(280, 80)));
  }

  @Test
  void transparentAreasBecomeWhite() throws IOException {
    BufferedImage rgba = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        rgba.setRGB(x, y, x < 32 ? 0x00000000 : 0xFF00FF00); // transparent black | opaque green
      }
    }
    BufferedImage thumb = decode(thumbnailer.jpeg(rgba));
    assertNear(Color.WHITE, new Color(thumb.getRGB(8, 32)));
    assertNear(Color.GREEN, new Color(thumb.getRGB(56, 32)));
  }

  private static BufferedImage decode(byte[] jpeg) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  private static void assertNear(Color expected, Color actual) {
    int diff =
        Math.abs(expected.getRed() - actual.getRed())
            + Math.abs(expected.getGreen() - actual.getGreen())
            + Math.abs(expected.getBlue() - actual.getBlue());
    assertTrue(diff <= 24, "expected about " + expected + ", got " + actual);
  }
}
