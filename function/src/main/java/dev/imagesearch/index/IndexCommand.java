package dev.imagesearch.index;

import dev.imagesearch.EnvFile;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.Sha256;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.clip.ThreadSizing;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.BlobStores;
import dev.imagesearch.store.LocalBlobStore;
import dev.imagesearch.store.ObjectKeys;
import dev.imagesearch.store.StoreConfig;
import dev.imagesearch.store.StoreLocation;
import dev.imagesearch.store.UrlSigner;
import java.io.Console;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code image-search index}: embeds a folder or bucket prefix of photos and publishes the index.
 * See the help text below (and the README's "Indexing your photos") for options and exit codes.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Embed the images of a folder or S3 prefix with the CLIP vision model and publish a new index"
          + " version (index/<version>/ then index/CURRENT) in the store.",
      "Incremental: only new or changed images (by sha256) are embedded; deleted ones are dropped."
          + " Resumable: finished batches are checkpointed in the work folder, so an interrupted run"
          + " continues where it stopped.",
      "Bad files never stop a run: they are listed with their reason in skipped.jsonl.",
      "Each version carries its relevance calibration (calibration.json): how nonsense texts made"
          + " from the model's tokenizer score on this collection, which the verdict is judged by."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:indexed and published (some files may be skipped: see skipped.jsonl)",
      "1:nothing could be indexed: every file was skipped (the live index is kept)",
      "2:bad arguments or configuration (missing folder, no images in it, missing model, bad value)",
      "3:store or model failure (S3 error, ONNX Runtime error, interrupted)"
    })
public final class IndexCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int NOTHING_INDEXED = 1;
  static final int BAD_CONFIGURATION = 2;
  static final int FAILURE = 3;

  @Option(
      names = "--images",
      paramLabel = "DIR|s3://bucket/prefix",
      description =
          "The originals. Default: the store's images/. Images elsewhere are copied to the"
              + " store's images/<key> (the page links there).")
  String images;

  @Option(
      names = "--index",
      paramLabel = "DIR|s3://bucket/prefix",
      description =
          "The store root (images/, thumbs/, index/ below it). Default: IMAGE_SEARCH_STORE,"
              + " else s3://$BUCKET_NAME, else work-data/demo.")
  String index;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "CLIP model directory (Xenova layout). Default: IMAGE_SEARCH_MODEL.")
  Path model;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "16",
      description =
          "Images per checkpointed batch, and per model run for fp32 models; int8 models run one"
              + " image at a time so rows never depend on batch mates (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Decode threads and ONNX Runtime intra-op threads (default: processors, at most 2).")
  int threads;

  @Option(
      names = "--thumbs",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Write thumbs/<key>.jpg, longest side 320 px (default: on).")
  boolean thumbs;

  @Option(names = "--dry-run", description = "List what would be embedded, reused, dropped.")
  boolean dryRun;

  @Option(
      names = "--keep-versions",
      paramLabel = "N",
      description = "Index versions kept in the store (default: IMAGE_SEARCH_KEEP_VERSIONS or 3).")
  Integer keepVersions;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Work folder for the checkpoint and hash cache. Default: <store>/.index-work for a"
              + " local store, work-data/index-work/<hash of the location> for S3.")
  Path work;

  @Option(
      names = "--pause-after-batch-ms",
      paramLabel = "MS",
      defaultValue = "0",
      hidden = true,
      description = "Pause after each checkpointed batch (throttles a run; tests stop it midway).")
  long pauseAfterBatchMs;

  @Option(
      names = "--max-megapixels",
      paramLabel = "N",
      defaultValue = "100",
      description = "Refuse images larger than this before decoding (default: ${DEFAULT-VALUE}).")
  double maxMegapixels;

  Map<String, String> env = System.getenv();

  /** The .env file read under {@link #env} (real variables win); tests point it elsewhere. */
  Path envFile = Path.of(".env");

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    Indexer indexer;
    try {
      env = EnvFile.environment(envFile, env);
      indexer = configure();
    } catch (ImageSearchException e) {
      err.println("error: " + e.getMessage());
      return BAD_CONFIGURATION;
    }
    IndexSummary summary;
    try {
      summary = indexer.run();
    } catch (NoImagesException e) {
      err.println("error: " + e.getMessage());
      return BAD_CONFIGURATION;
    } catch (ImageSearchException e) {
      err.println("error: " + e.getMessage());
      return FAILURE;
    }
    out.println(summary.line());
    return summary.indexed() == 0 && !summary.dryRun() ? NOTHING_INDEXED : OK;
  }

  /** Checks every option and opens store, source and model directory; nothing is written. */
  Indexer configure() {
    if (batch < 1 || batch > 1024) {
      throw new ImageSearchException("--batch must be between 1 and 1024, got " + batch);
    }
    if (threads < 0 || threads > 256) {
      throw new ImageSearchException("--threads must be between 1 and 256, got " + threads);
    }
    if (!(maxMegapixels > 0)) {
      throw new ImageSearchException("--max-megapixels must be positive, got " + maxMegapixels);
    }
    StoreConfig storeConfig = storeConfig(index, "--index");
    int keep = keepVersions != null ? keepVersions : storeConfig.keepVersions();
    if (keep < 1) {
      throw new ImageSearchException("--keep-versions must be at least 1, got " + keep);
    }
    ModelDirectory directory = modelDirectory(model, env);
    directory.visionModel(); // fail now, as a configuration error, when it is missing

    BlobStore store = BlobStores.create(storeConfig);
    ImageSource source = source(storeConfig, store);
    int n = ThreadSizing.intraOpThreads(env, Runtime.getRuntime().availableProcessors(), threads);
    Indexer.Settings settings =
        new Indexer.Settings(
            batch,
            n,
            thumbs,
            dryRun,
            keep,
            (long) (maxMegapixels * 1_000_000),
            work != null ? work : defaultWork(storeConfig.location()),
            isTerminal(),
            Duration.ofMillis(Math.max(0, pauseAfterBatchMs)));
    return new Indexer(store, source, directory, settings, out);
  }

  /** The model folder from {@code --model}, else {@code IMAGE_SEARCH_MODEL}. */
  static ModelDirectory modelDirectory(Path model, Map<String, String> env) {
    Path modelDir = model;
    if (modelDir == null) {
      String fromEnv = env.get("IMAGE_SEARCH_MODEL");
      if (fromEnv == null || fromEnv.isBlank()) {
        throw new ImageSearchException(
            "no model: give --model DIR or set IMAGE_SEARCH_MODEL (make model downloads one)");
      }
      modelDir = Path.of(fromEnv.trim());
    }
    return ModelDirectory.open(modelDir, ModelDirectory.Precision.PREFER_QUANTIZED);
  }

  private ImageSource source(StoreConfig storeConfig, BlobStore store) {
    if (images == null || images.isBlank()) {
      return new ImageSource(store, ObjectKeys.IMAGES, true);
    }
    StoreLocation where = StoreLocation.parse(images, "--images");
    StoreLocation storeLocation = storeConfig.location();
    switch (where) {
      case StoreLocation.Local local -> {
        Path folder = local.root().toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
          throw new ImageSearchException("--images " + images + " is not a folder");
        }
        if (storeLocation instanceof StoreLocation.Local l
            && folder.equals(l.root().toAbsolutePath().normalize().resolve("images"))) {
          return new ImageSource(store, ObjectKeys.IMAGES, true);
        }
        return new ImageSource(
            new LocalBlobStore(folder, UrlSigner.withRandomKey("/files")), "", false);
      }
      case StoreLocation.S3 s3 -> {
        if (storeLocation instanceof StoreLocation.S3 own
            && own.bucket().equals(s3.bucket())
            && s3.prefix().equals(own.prefix() + ObjectKeys.IMAGES)) {
          return new ImageSource(store, ObjectKeys.IMAGES, true);
        }
        return new ImageSource(BlobStores.create(storeConfig(images, "--images")), "", false);
      }
    }
  }

  /** The store settings from the environment, with {@code location} (when given) as the store. */
  private StoreConfig storeConfig(String location, String what) {
    return storeConfig(env, location, what);
  }

  static StoreConfig storeConfig(Map<String, String> env, String location, String what) {
    Map<String, String> copy = new HashMap<>(env);
    if (location != null && !location.isBlank()) {
      StoreLocation.parse(location, what); // names the option in the error
      copy.put("IMAGE_SEARCH_STORE", location.trim());
      copy.remove("BUCKET_NAME");
    }
    return StoreConfig.fromEnv(copy);
  }

  static Path defaultWork(StoreLocation location) {
    return switch (location) {
      case StoreLocation.Local local -> local.root().resolve(".index-work");
      case StoreLocation.S3 s3 -> {
        String hash = Sha256.hex(s3.toString().getBytes(StandardCharsets.UTF_8));
        yield Path.of("work-data", "index-work", hash.substring(0, 12));
      }
    };
  }

  /** A terminal on stdout: Console.isTerminal() where the JDK has it (22+), else a console. */
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
