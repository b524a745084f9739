package dev.imagesearch.bench;

import dev.imagesearch.clip.ClipImagePreprocessor;
import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.clip.ModelDirectory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CLIP encoding cost: text encoding of a typical 8-token query (the query hot path), image
 * preprocessing alone, and preprocessing plus vision encoding (the indexer's per-image cost).
 *
 * <p>The model folder comes from {@code -Dbench.model=DIR} (e.g. the full-size random-weight
 * ViT-B/32 from {@code make bench-model}); without it, the tiny test model. {@code precision} picks
 * the int8 or fp32 files. Run by {@code make bench}; for one run by hand:
 *
 * <pre>
 * java -cp "function/target/test-classes:$(cat cp.txt)" org.openjdk.jmh.Main ClipEncodeBenchmark \
 *     -jvmArgs -Dbench.model=work-data/bench-model
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClipEncodeBenchmark {
  /** "a photo of a red car on the street" is 8 tokens plus start and end. */
  static final String QUERY = "a photo of a red car on the street";

  @Param({"PREFER_QUANTIZED", "FP32"})
  public String precision;

  private ClipModel model;
  private ClipImagePreprocessor preprocessor;
  private BufferedImage photo;

  @Setup(Level.Trial)
  public void load() {
    String dir = System.getProperty("bench.model");
    Path root = dir != null ? Path.of(dir) : tinyModel();
    model =
        ClipModel.load(
            root,
            ClipModel.Options.defaults()
                .withPrecision(ModelDirectory.Precision.valueOf(precision)));
    preprocessor = model.imageEncoder().preprocessor();
    photo = syntheticPhoto(640, 480);
  }

  @TearDown(Level.Trial)
  public void close() {
    model.close();
  }

  @Benchmark
  public float[] textQuery() {
    return model.embedText(QUERY);
  }

  @Benchmark
  public float[] imagePreprocess() {
    return preprocessor.preprocess(photo);
  }

  @Benchmark
  public float[][] imagePreprocessAndEncode() {
    return model.imageEncoder().embedImages(List.of(photo));
  }

  /** A 640x480 RGB image with gradients and shapes, like a typical downscaled photo. */
  static BufferedImage syntheticPhoto(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setPaint(new java.awt.GradientPaint(0, 0, Color.ORANGE, w, h, Color.BLUE));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.RED);
    g.fillOval(w / 4, h / 4, w / 3, h / 3);
    g.dispose();
    return image;
  }

  static Path tinyModel() {
    URL url = ClipEncodeBenchmark.class.getClassLoader().getResource("tiny-clip/config.json");
    if (url == null) {
      throw new IllegalStateException("no -Dbench.model and no tiny-clip test resource");
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
