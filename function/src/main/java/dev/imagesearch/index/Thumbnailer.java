package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.PillowResampler;
import dev.imagesearch.clip.RgbConverter;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Makes the JPEG thumbnail the page shows: longest side {@code maxSide} (320 px by default), never
 * upscaled, transparent areas on white.
 *
 * <p>Downscaling is Pillow's {@code Image.thumbnail}: a box average by a whole factor while the
 * image is still more than twice the target ({@code reducing_gap = 2}), then Pillow's antialiased
 * bicubic ({@link PillowResampler}) for the rest. That is both sharp and cheap: a 12-megapixel
 * photo costs a few milliseconds, not a 50-tap filter over every input pixel.
 *
 * <pre>{@code
 * byte[] jpeg = new Thumbnailer(320, 0.85f).jpeg(decoded.image());
 * }</pre>
 */
public final class Thumbnailer {
  public static final int DEFAULT_MAX_SIDE = 320;
  public static final float DEFAULT_QUALITY = 0.85f;

  private final int maxSide;
  private final float quality;

  public Thumbnailer(int maxSide, float quality) {
    this.maxSide = maxSide;
    this.quality = quality;
  }

  public static Thumbnailer defaults() {
    return new Thumbnailer(DEFAULT_MAX_SIDE, DEFAULT_QUALITY);
  }

  /** The thumbnail's size for an image of {@code width} x {@code height}. */
  public int[] size(int width, int height) {
    int longest = Math.max(width, height);
    if (longest <= maxSide) {
      return new int[] {width, height};
    }
    double scale = (double) maxSide / longest;
    return new int[] {
      Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))
    };
  }

  /** The JPEG bytes of the thumbnail of {@code image}. */
  public byte[] jpeg(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = RgbConverter.toRgb(image);
    if (image.getColorModel().hasAlpha()) {
      overWhite(image, rgb);
    }
    int[] target = size(w, h);
    int reduce = Math.min(w / target[0], h / target[1]) / 2;
    if (reduce >= 2) {
      int rw = (w + reduce - 1) / reduce;
      int rh = (h + reduce - 1) / reduce;
      rgb = boxReduce(rgb, w, h, reduce, rw, rh);
      w = rw;
      h = rh;
    }
    if (w != target[0]) {
      PillowResampler.Axis cols =
          PillowResampler.axis(w, target[0], 0, target[0], PillowResampler.BICUBIC);
      byte[] out = new byte[h * target[0] * 3];
      PillowResampler.horizontal(rgb, w, 0, h, cols, out);
      rgb = out;
      w = target[0];
    }
    if (h != target[1]) {
      PillowResampler.Axis rows =
          PillowResampler.axis(h, target[1], 0, target[1], PillowResampler.BICUBIC);
      byte[] out = new byte[target[1] * w * 3];
      PillowResampler.vertical(rgb, w, 0, rows, out);
      rgb = out;
      h = target[1];
    }
    return encode(rgb, w, h);
  }

  /** Composites RGB over white by the image's alpha (a thumbnail has no transparency). */
  private static void overWhite(BufferedImage image, byte[] rgb) {
    int w = image.getWidth();
    int[] row = new int[w];
    for (int y = 0, o = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++, o += 3) {
        int a = row[x] >>> 24;
        if (a != 255) {
          for (int c = 0; c < 3; c++) {
            int v = rgb[o + c] & 0xff;
            rgb[o + c] = (byte) ((v * a + 255 * (255 - a) + 127) / 255);
          }
        }
      }
    }
  }

  /** Averages {@code factor x factor} blocks (partial blocks at the edges average what exists). */
  static byte[] boxReduce(byte[] rgb, int w, int h, int factor, int outW, int outH) {
    byte[] out = new byte[outW * outH * 3];
    int[] sums = new int[outW * 3];
    int[] counts = new int[outW];
    for (int oy = 0; oy < outH; oy++) {
      java.util.Arrays.fill(sums, 0);
      java.util.Arrays.fill(counts, 0);
      int yEnd = Math.min(h, (oy + 1) * factor);
      for (int y = oy * factor; y < yEnd; y++) {
        int p = y * w * 3;
        for (int x = 0; x < w; x++, p += 3) {
          int ox = x / factor;
          sums[ox * 3] += rgb[p] & 0xff;
          sums[ox * 3 + 1] += rgb[p + 1] & 0xff;
          sums[ox * 3 + 2] += rgb[p + 2] & 0xff;
          counts[ox]++;
        }
      }
      int o = oy * outW * 3;
      for (int ox = 0; ox < outW; ox++) {
        int n = counts[ox];
        for (int c = 0; c < 3; c++) {
          out[o++] = (byte) ((sums[ox * 3 + c] + n / 2) / n);
        }
      }
    }
    return out;
  }

  private byte[] encode(byte[] rgb, int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new ImageSearchException("no JPEG writer in this JVM (ImageIO)");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new ImageSearchException("cannot encode a " + w + "x" + h + " JPEG thumbnail", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
