package dev.imagesearch.clip;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A loaded CLIP model: tokenizer and text encoder at once (and the optional multilingual text
 * tower, through the same classes), image encoder on first use (the query side never needs it, and
 * the vision tower is the bigger file). Load once per process; all parts are thread-safe.
 *
 * <pre>{@code
 * try (ClipModel model = ClipModel.load(Path.of("work-data/model"), ClipModel.Options.defaults())) {
 *   float[] q = model.embedText("three red circles");
 *   float[] fr = model.tower(TextTower.MULTILINGUAL).embedText("trois cercles rouges");
 *   float[][] images = model.imageEncoder().embedImages(list);
 * }
 * }</pre>
 */
public final class ClipModel implements TextEmbedder, AutoCloseable {

  /**
   * Loading options.
   *
   * @param precision int8 files when present, or forced fp32
   * @param intraOpThreads ONNX Runtime threads per session, {@code <= 0} for {@link ThreadSizing}
   * @param imageBatchSize images per vision-model run
   * @param optimizedGraphs where the text towers' optimised graphs are kept between starts ({@link
   *     OptimizedModelCache}); empty to optimise at every load
   */
  public record Options(
      ModelDirectory.Precision precision,
      int intraOpThreads,
      int imageBatchSize,
      Optional<Path> optimizedGraphs) {
    public Options(ModelDirectory.Precision precision, int intraOpThreads, int imageBatchSize) {
      this(precision, intraOpThreads, imageBatchSize, Optional.empty());
    }

    public static Options defaults() {
      return new Options(ModelDirectory.Precision.PREFER_QUANTIZED, 0, 16);
    }

    public Options withPrecision(ModelDirectory.Precision p) {
      return new Options(p, intraOpThreads, imageBatchSize, optimizedGraphs);
    }

    /** These options with the text towers' optimised graphs kept in {@code dir}. */
    public Options withOptimizedGraphs(Path dir) {
      return new Options(precision, intraOpThreads, imageBatchSize, Optional.of(dir));
    }
  }

  private final ModelDirectory directory;
  private final Options options;
  private final ClipTokenizer tokenizer;
  private final OnnxSession textSession;
  private final ClipTextEncoder textEncoder;
  private final SecondTower multilingual;
  private volatile OnnxSession visionSession;
  private volatile ClipImageEncoder imageEncoder;

  /** The optional multilingual tower: its session and tokenizer (closed with the model). */
  private record SecondTower(OnnxSession session, ClipTokenizer tokenizer, TextEmbedder encoder) {
    void close() {
      session.close();
      tokenizer.close();
    }
  }

  private ClipModel(ModelDirectory directory, Options options) {
    this.directory = directory;
    this.options = options;
    this.tokenizer = ClipTokenizer.load(directory.tokenizerJson());
    OnnxSession session = null;
    try {
      session = openTextSession(directory.textModel());
      this.textEncoder =
          new ClipTextEncoder(session, tokenizer, directory.projectionDim(), directory.modelId());
      this.textSession = session;
      this.multilingual = directory.multilingualTower().map(this::openTower).orElse(null);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      tokenizer.close();
      throw e;
    }
  }

  /** Opens the multilingual tower through the same classes as the English one. */
  private SecondTower openTower(ModelDirectory.TowerFiles files) {
    ClipTokenizer towerTokenizer = ClipTokenizer.load(files.tokenizerJson());
    OnnxSession session = null;
    try {
      session = openTextSession(files.model());
      String id = directory.multilingualModelId();
      int dim = directory.projectionDim();
      TextEmbedder encoder =
          files.projection().isPresent()
              ? new PooledTextEncoder(
                  session,
                  towerTokenizer,
                  Projection.read(files.projection().get(), dim),
                  id,
                  TextTower.MULTILINGUAL)
              : new ClipTextEncoder(session, towerTokenizer, dim, id, TextTower.MULTILINGUAL);
      return new SecondTower(session, towerTokenizer, encoder);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      towerTokenizer.close();
      throw e;
    }
  }

  /** A text tower's session: from its saved optimised graph when the options keep them. */
  private OnnxSession openTextSession(Path file) {
    return options.optimizedGraphs().isPresent()
        ? OptimizedModelCache.in(options.optimizedGraphs().get())
            .open(file, threads(), ThreadSizing.spinning())
        : OnnxSession.open(file, threads(), ThreadSizing.spinning());
  }

  /** Opens the model folder at {@code root} (see {@link ModelDirectory} for the layout). */
  public static ClipModel load(Path root, Options options) {
    return new ClipModel(ModelDirectory.open(root, options.precision()), options);
  }

  public static ClipModel load(ModelDirectory directory, Options options) {
    return new ClipModel(directory, options);
  }

  @Override
  public float[] embedText(String text) {
    return textEncoder.embedText(text);
  }

  /**
   * The embedder of the tower asked for: the multilingual one when the directory has it, else the
   * English one (its {@link TextEmbedder#tower()} says which answered).
   */
  @Override
  public TextEmbedder tower(TextTower wanted) {
    return wanted == TextTower.MULTILINGUAL && multilingual != null
        ? multilingual.encoder()
        : textEncoder;
  }

  /** Whether the directory has a multilingual tower. */
  public boolean multilingual() {
    return multilingual != null;
  }

  @Override
  public int dim() {
    return directory.projectionDim();
  }

  @Override
  public String modelId() {
    return directory.modelId();
  }

  public ModelDirectory directory() {
    return directory;
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  public ClipTextEncoder textEncoder() {
    return textEncoder;
  }

  /**
   * The image encoder, loading the vision model on the first call. Its batch size is {@link
   * Options#imageBatchSize} for an fp32 vision model and 1 for a quantized one ({@link
   * #imagesPerRun}).
   */
  public ClipImageEncoder imageEncoder() {
    ClipImageEncoder encoder = imageEncoder;
    if (encoder == null) {
      synchronized (this) {
        encoder = imageEncoder;
        if (encoder == null) {
          Path file = directory.visionModel();
          OnnxSession session = OnnxSession.open(file, threads(), ThreadSizing.spinning());
          try {
            encoder =
                new ClipImageEncoder(
                    session,
                    new ClipImagePreprocessor(directory.preprocessorConfig()),
                    directory.projectionDim(),
                    imagesPerRun(file, options.imageBatchSize()));
          } catch (RuntimeException e) {
            session.close();
            throw e;
          }
          visionSession = session;
          imageEncoder = encoder;
        }
      }
    }
    return encoder;
  }

  /**
   * Images per ONNX Runtime call. A dynamically quantized (int8) model computes one activation
   * scale over its whole input tensor, so in a batch each image's embedding would depend on the
   * other images in it: a resumed or incremental index run would then not reproduce the rows of a
   * full run. Such models get one image per call (each row a function of its image alone); fp32
   * models get the whole batch.
   */
  static int imagesPerRun(Path visionModel, int batchSize) {
    return ModelDirectory.isQuantized(visionModel) ? 1 : batchSize;
  }

  private int threads() {
    return ThreadSizing.intraOpThreads(options.intraOpThreads());
  }

  @Override
  public synchronized void close() {
    textSession.close();
    if (multilingual != null) {
      multilingual.close();
    }
    if (visionSession != null) {
      visionSession.close();
    }
    tokenizer.close();
  }
}
