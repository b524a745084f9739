package dev.imagesearch.index;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Test helper: image files built in memory, including broken and hostile ones. */
final class TestImages {
  private TestImages() {}

  /** An RGB image with the left half {@code left} and the right half {@code right}. */
  static BufferedImage halves(int w, int h, Color left, Color right) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(left);
    g.fillRect(0, 0, w / 2, h);
    g.setColor(right);
    g.fillRect(w / 2, 0, w - w / 2, h);
    g.dispose();
    return image;
  }

  /** Noise, so a JPEG of it is large enough to cut in the middle of its entropy-coded data. */
  static BufferedImage noise(int w, int h, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format + " and this image type");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] resource(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream("/index-fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource index-fixtures/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code jpeg} with an EXIF APP1 segment carrying {@code orientation} right after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
    ByteBuffer tiff = ByteBuffer.allocate(26);
    tiff.order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
    tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M'));
    tiff.putShort((short) 42).putInt(8); // magic, offset of IFD0
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // orientation, SHORT, count 1
    tiff.putShort((short) orientation).putShort((short) 0); // value, padding
    tiff.putInt(0); // no next IFD
    byte[] exif = "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    int length = 2 + exif.length + tiff.capacity();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2); // SOI
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >>> 8);
    out.write(length & 0xff);
    out.writeBytes(exif);
    out.writeBytes(tiff.array());
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** A valid-looking PNG whose header claims {@code w} x {@code h} (8-bit RGB), with no pixels. */
  static byte[] pngHeaderOnly(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A baseline JPEG header (SOI, SOF0) claiming {@code w} x {@code h}, then end of image. */
  static byte[] jpegHeaderOnly(int w, int h) {
    byte[] jpeg = encode(halves(16, 16, Color.RED, Color.BLUE), "jpeg");
    // Rewrite the frame size in the SOF0 segment of a real JPEG: everything else stays valid.
    for (int p = 2; p + 9 < jpeg.length; ) {
      int marker = jpeg[p + 1] & 0xff;
      int length = (jpeg[p + 2] & 0xff) << 8 | (jpeg[p + 3] & 0xff);
      if (marker == 0xC0) {
        jpeg[p + 5] = (byte) (h >>> 8);
        jpeg[p + 6] = (byte) h;
        jpeg[p + 7] = (byte) (w >>> 8);
        jpeg[p + 8] = (byte) w;
        return jpeg;
      }
      p += 2 + length;
    }
    throw new IllegalStateException("no SOF0 segment");
  }

  /** RGB of pixel (x, y) as converted for CLIP. */
  static int[] rgbAt(BufferedImage image, int x, int y) {
    byte[] rgb = dev.imagesearch.clip.RgbConverter.toRgb(image);
    int p = (y * image.getWidth() + x) * 3;
    return new int[] {rgb[p] & 0xff, rgb[p + 1] & 0xff, rgb[p + 2] & 0xff};
  }
}
