package dev.imagesearch.bench;

import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.clip.TextEmbedder;
import dev.imagesearch.clip.TextTower;
import dev.imagesearch.synth.SceneQuery;
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
 * Query encoding through each text tower of the tiny model: the English tower on the 26 English
 * standard queries, the multilingual tower on their French translations (what a French user costs),
 * tokenization included, a different text on every call (no cache). The bar: the second
 * tower within 10 % of the English-only path.
 *
 * <pre>
 * ./mvnw -q -pl function test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.imagesearch.bench.Bench TextTower -f 1 -wi 3 -i 5"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TextTowerBenchmark {
  @Param({"ENGLISH", "MULTILINGUAL"})
  public String tower;

  @Param({"PREFER_QUANTIZED", "FP32"})
  public String precision;

  private ClipModel model;
  private TextEmbedder encoder;
  private List<String> queries;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    String dir = System.getProperty("bench.model");
    Path root = dir != null ? Path.of(dir) : ClipEncodeBenchmark.tinyModel();
    model =
        ClipModel.load(
            root,
            ClipModel.Options.defaults()
                .withPrecision(ModelDirectory.Precision.valueOf(precision)));
    TextTower which = TextTower.valueOf(tower);
    encoder = model.tower(which);
    if (encoder.tower() != which) {
      throw new IllegalStateException(root + " has no " + which + " text tower");
    }
    queries =
        (which == TextTower.ENGLISH ? SceneQuery.STANDARD : SceneQuery.STANDARD_FR)
            .stream().map(SceneQuery::text).toList();
  }

  @TearDown(Level.Trial)
  public void close() {
    model.close();
  }

  @Benchmark
  public float[] query() {
    next = (next + 1) % queries.size();
    return encoder.embedText(queries.get(next));
  }
}
