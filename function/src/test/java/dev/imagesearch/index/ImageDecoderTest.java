package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Real-world files, generated: every kind decodes to the right pixels or is refused with a reason.
 */
class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);

  @Test
  void rgbJpegDecodesWithItsSizeAndColours() {
    byte[] jpeg = TestImages.encode(TestImages.halves(64, 32, Color.RED, Color.BLUE), "jpeg");
    DecodedImage image = decoder.decode(jpeg);
    assertEquals("jpeg", image.format());
    assertEquals(64, image.width());
    assertEquals(32, image.height());
    assertDominant(TestImages.rgbAt(image.image(), 8, 16), 0);
    assertDominant(TestImages.rgbAt(image.image(), 56, 16), 2);
  }

  @Test
  void cmykJpegIsConvertedToRgb() {
    // Pillow wrote red (C0 M255 Y255 K0) on the left, green (C255 M0 Y255 K0) on the right.
    DecodedImage image = decoder.decode(TestImages.resource("cmyk.jpg"));
    assertEquals(64, image.width());
    assertEquals(48, image.height());
    assertDominant(TestImages.rgbAt(image.image(), 8, 24), 0);
    assertDominant(TestImages.rgbAt(image.image(), 56, 24), 1);
  }

  @Test
  void grayscaleJpegGivesEqualChannels() {
    BufferedImage gray = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(3, 3, 0, 200);
    var g = gray.createGraphics();
    g.setColor(new Color(90, 90, 90));
    g.fillRect(0, 0, 32, 32);
    g.dispose();
    DecodedImage image = decoder.decode(TestImages.encode(gray, "jpeg"));
    int[] rgb = TestImages.rgbAt(image.image(), 16, 16);
    assertEquals(rgb[0], rgb[1]);
    assertEquals(rgb[1], rgb[2]);
    assertTrue(Math.abs(rgb[0] - 90) <= 2, "gray level " + rgb[0]);
  }

  @Test
  void exifOrientationSixTurnsThePictureAQuarterClockwise() {
    // Stored 40 x 20: red left half, blue right half. Orientation 6 means "rotate 90 degrees
    // clockwise to display", so the upright picture is 20 x 40 with red on top, blue below.
    byte[] stored = TestImages.encode(TestImages.halves(40, 20, Color.RED, Color.BLUE), "jpeg");
    for (boolean little : new boolean[] {true, false}) {
      byte[] jpeg = TestImages.withExifOrientation(stored, 6, little);
      assertEquals(6, ExifOrientation.read(jpeg));
      DecodedImage image = decoder.decode(jpeg);
      assertEquals(20, image.width());
      assertEquals(40, image.height());
      assertDominant(TestImages.rgbAt(image.image(), 10, 5), 0);
      assertDominant(TestImages.rgbAt(image.image(), 10, 35), 2);
    }
  }

  @Test
  void everyOrientationPutsTheStoredTopLeftPixelWhereExifSays() {
    // A 3 x 2 image with distinct values; where stored (0,0) lands, per EXIF 2.32.
    BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < 6; i++) {
      stored.getRaster().setSample(i % 3, i / 3, 0, 10 * (i + 1));
    }
    int[][] topLeftLandsAt = {{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}};
    for (int orientation = 1; orientation <= 8; orientation++) {
      BufferedImage upright = ExifOrientation.apply(stored, orientation);
      boolean swap = orientation >= 5;
      assertEquals(swap ? 2 : 3, upright.getWidth(), "orientation " + orientation);
      int[] at = topLeftLandsAt[orientation - 1];
      assertEquals(
          10, upright.getRaster().getSample(at[0], at[1], 0), "orientation " + orientation);
    }
  }

  @Test
  void rgbaPngKeepsAlphaAndCLipSeesTheColourUnderIt() {
    BufferedImage rgba = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0x00FF0000); // fully transparent red
    rgba.setRGB(1, 0, 0xFF00FF00); // opaque green
    DecodedImage image = decoder.decode(TestImages.encode(rgba, "png"));
    assertTrue(image.image().getColorModel().hasAlpha());
    // Pillow's convert("RGB") drops alpha: the colour under a transparent pixel stays.
    assertArrayEquals(new int[] {255, 0, 0}, TestImages.rgbAt(image.image(), 0, 0));
    assertArrayEquals(new int[] {0, 255, 0}, TestImages.rgbAt(image.image(), 1, 0));
  }

  @Test
  void sixteenBitPngsKeepTheirHighByte() {
    BufferedImage gray16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
    gray16.getRaster().setSample(1, 1, 0, 0x8040);
    DecodedImage gray = decoder.decode(TestImages.encode(gray16, "png"));
    assertEquals(16, gray.image().getColorModel().getComponentSize(0));
    assertArrayEquals(new int[] {0x80, 0x80, 0x80}, TestImages.rgbAt(gray.image(), 1, 1));

    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(4, 4);
    raster.setPixel(2, 2, new int[] {0xFFFF, 0x1234, 0x00FF});
    BufferedImage rgb16 = new BufferedImage(cm, raster, false, null);
    DecodedImage rgb = decoder.decode(TestImages.encode(rgb16, "png"));
    assertArrayEquals(new int[] {0xFF, 0x12, 0x00}, TestImages.rgbAt(rgb.image(), 2, 2));
  }

  @Test
  void gifBmpAndWebpDecode() {
    BufferedImage picture = TestImages.halves(20, 10, Color.RED, Color.BLUE);
    DecodedImage gif = decoder.decode(TestImages.encode(picture, "gif"));
    assertEquals("gif", gif.format());
    assertDominant(TestImages.rgbAt(gif.image(), 2, 5), 0);
    DecodedImage bmp = decoder.decode(TestImages.encode(picture, "bmp"));
    assertEquals("bmp", bmp.format());
    assertArrayEquals(new int[] {0, 0, 255}, TestImages.rgbAt(bmp.image(), 18, 5));
    DecodedImage webp = decoder.decode(TestImages.resource("yellow-blue.webp"));
    assertEquals(40, webp.width());
    assertEquals(30, webp.height());
    assertArrayEquals(new int[] {255, 255, 0}, TestImages.rgbAt(webp.image(), 5, 5));
    assertArrayEquals(new int[] {0, 0, 255}, TestImages.rgbAt(webp.image(), 35, 5));
  }

  @Test
  void zeroByteFileIsRefused() {
    var e = assertThrows(ImageRejectedException.class, () -> decoder.decode(new byte[0]));
    assertEquals("empty file (0 bytes)", e.getMessage());
  }

  @Test
  void textIsNotAnImage() {
    var e =
        assertThrows(
            ImageRejectedException.class, () -> decoder.decode("hello, world\n".getBytes()));
    assertEquals("not an image in a supported format (JPEG, PNG, GIF, BMP, WebP)", e.getMessage());
  }

  @Test
  void truncatedJpegIsRefused() {
    byte[] jpeg = TestImages.encode(TestImages.noise(256, 256, 7), "jpeg");
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 6 / 10);
    var e = assertThrows(ImageRejectedException.class, () -> decoder.decode(cut));
    assertTrue(e.getMessage().startsWith("truncated or corrupt jpeg"), e.getMessage());
  }

  @Test
  void truncatedPngIsRefused() {
    byte[] png = TestImages.encode(TestImages.noise(128, 128, 3), "png");
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    var e = assertThrows(ImageRejectedException.class, () -> decoder.decode(cut));
    assertTrue(e.getMessage().startsWith("cannot decode"), e.getMessage());
  }

  @Test
  void hugeDeclaredSizeIsRefusedBeforeDecoding() {
    // 30,000 x 30,000 would need 2.7 GB of pixels; the files themselves are tiny.
    String expected =
        "30000 x 30000 is 900.0 megapixels, over the limit of 100.0 (decompression-bomb guard)";
    var png =
        assertThrows(
            ImageRejectedException.class,
            () -> decoder.decode(TestImages.pngHeaderOnly(30_000, 30_000)));
    assertEquals(expected, png.getMessage());
    var jpeg =
        assertThrows(
            ImageRejectedException.class,
            () -> decoder.decode(TestImages.jpegHeaderOnly(30_000, 30_000)));
    assertEquals(expected, jpeg.getMessage());
  }

  /** The channel {@code channel} is clearly the strongest (a saturated primary after JPEG). */
  private static void assertDominant(int[] rgb, int channel) {
    for (int c = 0; c < 3; c++) {
      if (c != channel) {
        assertTrue(
            rgb[channel] > 180 && rgb[c] < 90,
            "expected channel " + channel + " to dominate: " + Arrays.toString(rgb));
      }
    }
  }
}
