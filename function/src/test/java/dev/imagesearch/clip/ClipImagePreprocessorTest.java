package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Preprocessing against Pillow: the fixtures in {@code pillow-resize/} were made by {@code
 * make_fixtures.py} with Pillow's {@code convert("RGB")}, {@code resize(BICUBIC)} and a centre
 * crop, exactly as transformers' CLIPImageProcessor calls them.
 */
class ClipImagePreprocessorTest {
  private static final PreprocessorConfig CLIP =
      new PreprocessorConfig(
          true,
          224,
          0,
          0,
          PillowResampler.BICUBIC,
          true,
          224,
          224,
          true,
          1 / 255.0,
          true,
          PreprocessorConfig.CLIP_MEAN,
          PreprocessorConfig.CLIP_STD,
          true);

  private final ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(CLIP);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rgb-640x480.png",
        "rgb-150x100-upscale.png",
        "rgb-224x300-crop-only.png",
        "rgb-1001x223-wide.png",
        "gray-333x777.png",
        "rgba-400x250.png",
        "palette-160x120.png"
      })
  void losslessInputsMatchPillowExactly(String name) throws IOException {
    byte[] expected = expected(name);
    byte[] actual = preprocessor.resizeAndCrop(read(name));
    assertEquals(0, maxDiff(expected, actual), name + ": largest difference from Pillow");
  }

  @Test
  void jpegInputIsWithinTwoLevelsOfPillow() throws IOException {
    // Java's and libjpeg's decoders may round the IDCT differently; the resize itself is exact.
    int diff =
        maxDiff(expected("jpeg-500x375.jpg"), preprocessor.resizeAndCrop(read("jpeg-500x375.jpg")));
    System.out.println("jpeg-500x375: max pixel difference from Pillow = " + diff + "/255");
    assertTrue(diff <= 2, "max difference " + diff + " > 2");
  }

  @Test
  void normalizesWithTheConfiguredMeanAndStdChannelFirst() {
    BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF8000); // r=255, g=128, b=0 at the top-left pixel
    float[] pixels = preprocessor.preprocess(image);
    int plane = 224 * 224;
    assertEquals(3 * plane, pixels.length);
    // (255/255 - 0.48145466) / 0.26862954 = 1.9303361
    assertEquals(1.9303361f, pixels[0], 1e-5f);
    // (128/255 - 0.4578275) / 0.26130258 = 0.04413328 / 0.26130258 = 0.1688973
    assertEquals(0.1688973f, pixels[plane], 1e-5f);
    // (0 - 0.40821073) / 0.27577711 = -1.4802197
    assertEquals(-1.4802197f, pixels[2 * plane], 1e-5f);
    assertEquals(-1.4802197f, pixels[2 * plane + 1], 1e-5f);
  }

  @Test
  void smallImagesArePaddedWithZerosLikeTransformersCenterCrop() {
    // No resize, crop 4x4 of a 2x3 (w x h) image: pad top ceil(1/2)=1, left ceil(2/2)=1.
    PreprocessorConfig noResize =
        new PreprocessorConfig(
            false,
            0,
            0,
            0,
            3,
            true,
            4,
            4,
            true,
            1 / 255.0,
            false,
            CLIP.imageMean(),
            CLIP.imageStd(),
            true);
    BufferedImage image = new BufferedImage(2, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 2; x++) {
        image.setRGB(x, y, 0x0A0A0A * (1 + x + 2 * y));
      }
    }
    byte[] crop = new ClipImagePreprocessor(noResize).resizeAndCrop(image);
    int[] firstChannel = new int[16];
    for (int i = 0; i < 16; i++) {
      firstChannel[i] = crop[i * 3] & 0xff;
    }
    assertArrayEquals(
        new int[] {0, 0, 0, 0, 0, 10, 20, 0, 0, 30, 40, 0, 0, 50, 60, 0}, firstChannel);
  }

  @Test
  void grayIsReplicatedWithoutGammaAndAlphaIsDropped() {
    BufferedImage gray = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 100);
    assertArrayEquals(new byte[] {100, 100, 100}, RgbConverter.toRgb(gray));

    BufferedImage rgba = new BufferedImage(1, 1, BufferedImage.TYPE_4BYTE_ABGR);
    rgba.getRaster().setPixel(0, 0, new int[] {200, 100, 50, 0}); // fully transparent
    assertArrayEquals(new byte[] {(byte) 200, 100, 50}, RgbConverter.toRgb(rgba));
  }

  @Test
  void cmykGoesThroughTheImagesOwnColourConversion() {
    ColorSpace cmyk = new FakeCmyk();
    ComponentColorModel cm =
        new ComponentColorModel(
            cmyk, false, false, java.awt.Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
    raster.setPixel(0, 0, new int[] {0, 255, 255, 0}); // cyan 0, magenta and yellow full: red
    BufferedImage image = new BufferedImage(cm, raster, false, null);
    byte[] rgb = RgbConverter.toRgb(image);
    int expected = image.getRGB(0, 0);
    assertArrayEquals(
        new byte[] {(byte) (expected >> 16), (byte) (expected >> 8), (byte) expected}, rgb);
    assertEquals(255, rgb[0] & 0xff);
    assertEquals(0, rgb[1] & 0xff);
  }

  @Test
  void unknownResampleFilterIsRejectedAtLoad() {
    PreprocessorConfig nearest =
        new PreprocessorConfig(
            true,
            224,
            0,
            0,
            0,
            true,
            224,
            224,
            true,
            1 / 255.0,
            true,
            CLIP.imageMean(),
            CLIP.imageStd(),
            true);
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> new ClipImagePreprocessor(nearest));
    assertTrue(e.getMessage().contains("unsupported resample filter 0"), e.getMessage());
  }

  static BufferedImage read(String name) throws IOException {
    try (InputStream in =
        ClipImagePreprocessorTest.class.getResourceAsStream("/pillow-resize/" + name)) {
      return ImageIO.read(in);
    }
  }

  private static byte[] expected(String name) throws IOException {
    String base = name.substring(0, name.lastIndexOf('.'));
    BufferedImage image = read(base + ".expected.png");
    assertEquals(224, image.getWidth());
    assertEquals(224, image.getHeight());
    return RgbConverter.toRgb(image);
  }

  static int maxDiff(byte[] a, byte[] b) {
    assertEquals(a.length, b.length);
    int max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
    }
    return max;
  }

  /** A naive CMYK colour space (the JDK ships no CMYK profile). */
  private static final class FakeCmyk extends ColorSpace {
    FakeCmyk() {
      super(ColorSpace.TYPE_CMYK, 4);
    }

    @Override
    public float[] toRGB(float[] v) {
      float k = v[3];
      return new float[] {(1 - v[0]) * (1 - k), (1 - v[1]) * (1 - k), (1 - v[2]) * (1 - k)};
    }

    @Override
    public float[] fromRGB(float[] rgb) {
      return new float[] {1 - rgb[0], 1 - rgb[1], 1 - rgb[2], 0};
    }

    @Override
    public float[] toCIEXYZ(float[] v) {
      return ColorSpace.getInstance(ColorSpace.CS_sRGB).toCIEXYZ(toRGB(v));
    }

    @Override
    public float[] fromCIEXYZ(float[] xyz) {
      return fromRGB(ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(xyz));
    }
  }
}
