package dev.imagesearch.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes a synthetic gallery: {@code img-00000-<caption>.png} (or {@code .jpg}) files plus {@code
 * captions.jsonl}, one JSON object per image (file, caption, attributes), in scene order. Used for
 * the tiny model's training data, the demo gallery and tests.
 *
 * <pre>
 * java -cp ... dev.imagesearch.synth.GalleryWriter --seed 7 --count 300 --out work-data/demo/images --format jpg
 * </pre>
 */
public final class GalleryWriter {
  private static final float JPEG_QUALITY = 0.92f;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SceneGenerator generator = new SceneGenerator();

  /** Writes {@code count} images from {@code seed} into {@code dir}; returns their scenes. */
  public List<Scene> write(long seed, int count, Path dir, String format) throws IOException {
    if (!format.equals("png") && !format.equals("jpg")) {
      throw new IllegalArgumentException("--format must be png or jpg, got " + format);
    }
    Files.createDirectories(dir);
    List<Scene> scenes = generator.scenes(seed, count);
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              try {
                writeImage(
                    generator.render(scenes.get(i)),
                    dir.resolve(fileName(i, scenes.get(i), format)));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try (BufferedWriter out =
        Files.newBufferedWriter(dir.resolve("captions.jsonl"), StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        out.write(
            JSON.writeValueAsString(record(fileName(i, scenes.get(i), format), scenes.get(i))));
        out.write('\n');
      }
    }
    return scenes;
  }

  /**
   * {@code img-00017-three-red-circles-on-a-white-background.jpg}: the caption in the name gives
   * the demo page meaningful alt text and link titles (search itself never reads names).
   */
  static String fileName(int index, Scene scene, String format) {
    String slug = scene.caption().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return String.format(Locale.ROOT, "img-%05d-%s.%s", index, slug, format);
  }

  /** The JSON line for one image: file, caption and every attribute, lower-case words. */
  static Map<String, Object> record(String file, Scene s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", file);
    m.put("caption", s.caption());
    m.put("caption_fr", s.frenchCaption());
    m.put("shape", s.shape().singular());
    m.put("colour", s.colour().word());
    m.put("count", s.count());
    m.put("size", s.size().word());
    m.put("background", s.background().word());
    m.put("width", s.width());
    m.put("height", s.height());
    return m;
  }

  private static void writeImage(BufferedImage image, Path file) throws IOException {
    if (file.toString().endsWith(".png")) {
      ImageIO.write(image, "png", file.toFile());
      return;
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  public static void main(String[] args) throws IOException {
    Long seed = null;
    Integer count = null;
    Path out = null;
    String format = "png";
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(require(args[i], value));
        case "--count" -> count = Integer.parseInt(require(args[i], value));
        case "--out" -> out = Path.of(require(args[i], value));
        case "--format" -> format = require(args[i], value);
        default -> usage("unknown option " + args[i]);
      }
      i++;
    }
    if (seed == null || count == null || out == null) {
      usage("--seed, --count and --out are required");
    }
    new GalleryWriter().write(seed, count, out, format);
    System.out.println("wrote " + count + " images and captions.jsonl to " + out);
  }

  private static String require(String option, String value) {
    if (value == null) {
      usage(option + " needs a value");
    }
    return value;
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: GalleryWriter --seed S --count N --out DIR [--format png|jpg]  (default png)");
    System.exit(2);
  }
}
