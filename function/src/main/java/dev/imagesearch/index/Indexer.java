package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.Sha256;
import dev.imagesearch.clip.ClipImagePreprocessor;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.index.IndexSummary.Count;
import dev.imagesearch.store.BlobStore;
import dev.imagesearch.store.IndexFiles;
import dev.imagesearch.store.IndexPublisher;
import dev.imagesearch.store.ObjectKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The indexer: list the originals, hash them, reuse the rows of unchanged content, decode and
 * preprocess the rest on {@code threads} workers while the calling thread runs batched inference
 * ({@link EmbeddingPipeline}), append each finished batch to the {@link Checkpoint}, then write and
 * publish a new version and clean up.
 *
 * <p>Memory stays bounded whatever the collection size: each worker holds one decoded image, the
 * queue between decoding and inference holds at most two batches of preprocessed tensors, and what
 * is kept per image is its float16 row.
 *
 * <p>Work folder ({@link Settings#workDir}): {@code checkpoint.jsonl} (rows embedded so far),
 * {@code hashes.jsonl} (content hashes by change tag), {@code lock} (one run at a time) and a
 * temporary {@code staging-*} folder.
 *
 * <pre>{@code
 * IndexSummary summary =
 *     new Indexer(store, new ImageSource(store, "images/", true), model, settings, System.err).run();
 * }</pre>
 */
public final class Indexer {
  /**
   * How to run.
   *
   * @param batchSize images per checkpointed batch (and per ONNX Runtime call for fp32 models)
   * @param threads decode threads, and ONNX Runtime intra-op threads
   * @param thumbnails write {@code thumbs/<key>.jpg}
   * @param dryRun list what would happen, write nothing
   * @param keepVersions index versions kept in the store
   * @param maxPixels decompression-bomb guard
   * @param workDir local folder for the checkpoint and hash cache
   * @param terminal progress bar (true) or periodic log lines
   * @param pauseAfterBatch a pause after each checkpointed batch, to throttle a run (zero: none)
   */
  public record Settings(
      int batchSize,
      int threads,
      boolean thumbnails,
      boolean dryRun,
      int keepVersions,
      long maxPixels,
      Path workDir,
      boolean terminal,
      Duration pauseAfterBatch) {}

  /** The rows of the new version and the files left out of it, in listing order. */
  private record Tally(
      List<EmbeddedRow> rows,
      List<VersionWriter.Skipped> skipped,
      Map<Outcome.Source, Integer> by) {
    int count(Outcome.Source source) {
      return by.getOrDefault(source, 0);
    }
  }

  private final BlobStore store;
  private final ImageSource source;
  private final ModelDirectory model;
  private final Settings settings;
  private final PrintStream log;

  public Indexer(
      BlobStore store,
      ImageSource source,
      ModelDirectory model,
      Settings settings,
      PrintStream log) {
    this.store = store;
    this.source = source;
    this.model = model;
    this.settings = settings;
    this.log = log;
  }

  /** Runs once; throws {@link ImageSearchException} when the store or the model fails. */
  public IndexSummary run() {
    long start = System.nanoTime();
    try (FileChannel lockFile = lock()) {
      List<String> keys = source.keys();
      if (keys.isEmpty()) {
        throw new NoImagesException(
            "no images ("
                + String.join(", ", new TreeSet<>(ImageSource.EXTENSIONS))
                + ") in "
                + source.describe());
      }
      ReusableRows live = ReusableRows.load(store, model.modelId(), model.projectionDim());
      log.println(
          "indexing "
              + keys.size()
              + " images from "
              + source.describe()
              + " into "
              + store.describe()
              + " with "
              + model.modelId()
              + "; "
              + live.note());
      HashCache hashes = HashCache.read(settings.workDir().resolve("hashes.jsonl"));
      if (settings.dryRun()) {
        return dryRun(keys, live, hashes, start);
      }
      return embedAndPublish(keys, live, hashes, start);
    } catch (IOException e) {
      throw new ImageSearchException(
          "cannot use work folder " + settings.workDir() + ": " + e.getMessage(), e);
    }
  }

  private FileChannel lock() throws IOException {
    Files.createDirectories(settings.workDir());
    FileChannel channel =
        FileChannel.open(
            settings.workDir().resolve("lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new ImageSearchException(
          "another index run is using " + settings.workDir() + " (wait for it, or use --work)");
    }
    return channel; // closing the channel releases the lock
  }

  private IndexSummary dryRun(List<String> keys, ReusableRows live, HashCache hashes, long start) {
    int embed = 0;
    int reuse = 0;
    int skip = 0;
    for (String key : keys) {
      Optional<String> tag = source.tag(key);
      String sha = hashes.lookup(key, tag).orElseGet(() -> Sha256.hex(source.read(key)));
      Optional<String> knownBad = live.skipReason(sha);
      if (live.bySha(sha).isPresent()) {
        log.println("reuse " + key);
        reuse++;
      } else if (knownBad.isPresent()) {
        log.println("skip  " + key + ": " + knownBad.get());
        skip++;
      } else {
        log.println("embed " + key);
        embed++;
      }
    }
    List<String> gone = gone(keys, live);
    gone.forEach(key -> log.println("drop  " + key));
    return IndexSummary.builder(keys.size())
        .count(Count.EMBEDDED, embed)
        .count(Count.REUSED, reuse)
        .count(Count.DROPPED, gone.size())
        .count(Count.SKIPPED, skip)
        .elapsed(elapsed(start))
        .dryRun()
        .build();
  }

  /**
   * The steps of a real run: resume, embed what is new, tally, publish (unless nothing changed),
   * delete what is gone, then forget the checkpoint.
   */
  private IndexSummary embedAndPublish(
      List<String> keys, ReusableRows live, HashCache hashes, long start) {
    Checkpoint checkpoint =
        Checkpoint.open(
            settings.workDir().resolve("checkpoint.jsonl"), model.modelId(), model.projectionDim());
    try {
      ImagePreparer.Known known = resume(checkpoint, live);
      Map<String, Outcome> outcomes = embedAll(keys, hashes, known, checkpoint);
      Tally tally = tally(keys, outcomes);
      IndexSummary.Builder summary =
          IndexSummary.builder(keys.size())
              .count(Count.EMBEDDED, tally.count(Outcome.Source.EMBEDDED))
              .count(Count.REUSED, tally.count(Outcome.Source.REUSED))
              .count(Count.RESUMED, tally.count(Outcome.Source.RESUMED))
              .count(Count.SKIPPED, tally.skipped().size());
      if (tally.rows().isEmpty()) {
        // Publishing an empty index would hide the previous one: keep it, say why (exit code 1).
        log.println(
            "nothing could be indexed: every file was skipped; the live index is unchanged");
        return summary.elapsed(elapsed(start)).build();
      }
      publish(tally, live, summary);
      summary.count(Count.DROPPED, deleteGone(keys, live));
      hashes.save();
      checkpoint.delete();
      return summary.elapsed(elapsed(start)).build();
    } catch (IOException e) {
      throw new ImageSearchException(
          "cannot write in " + settings.workDir() + ": " + e.getMessage(), e);
    } finally {
      checkpoint.close();
    }
  }

  /** Rows an interrupted run checkpointed, beside the live version's. */
  private ImagePreparer.Known resume(Checkpoint checkpoint, ReusableRows live) {
    Map<String, EmbeddedRow> bySha = new HashMap<>();
    Map<String, EmbeddedRow> byKey = new HashMap<>();
    for (EmbeddedRow row : checkpoint.resumed()) {
      bySha.put(row.sha256(), row);
      byKey.put(row.key(), row);
    }
    if (!bySha.isEmpty()) {
      log.println("resuming: " + bySha.size() + " images were embedded by an earlier run");
    }
    return new ImagePreparer.Known(live, bySha, byKey);
  }

  /** Every key's outcome: reused, resumed, embedded now, or rejected. */
  private Map<String, Outcome> embedAll(
      List<String> keys, HashCache hashes, ImagePreparer.Known known, Checkpoint checkpoint) {
    ImagePreparer.Stored stored =
        new ImagePreparer.Stored(
            settings.thumbnails() ? new HashSet<>(store.list(ObjectKeys.THUMBS)) : Set.of(),
            source.inIndexStore() ? Set.of() : new HashSet<>(store.list(ObjectKeys.IMAGES)));
    Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    try (EmbeddingPipeline pipeline =
            new EmbeddingPipeline(
                model, settings.batchSize(), settings.threads(), settings.pauseAfterBatch());
        Progress progress = Progress.create(keys.size(), settings.terminal(), log)) {
      ImagePreparer preparer =
          new ImagePreparer(
              source,
              store,
              settings.thumbnails(),
              new ImageDecoder(settings.maxPixels()),
              new ClipImagePreprocessor(model.preprocessorConfig()),
              hashes,
              known,
              stored,
              outcomes,
              progress);
      pipeline.run(keys, preparer, checkpoint, outcomes, progress);
    }
    return outcomes;
  }

  private Tally tally(List<String> keys, Map<String, Outcome> outcomes) {
    List<EmbeddedRow> rows = new ArrayList<>(keys.size());
    List<VersionWriter.Skipped> skipped = new ArrayList<>();
    Map<Outcome.Source, Integer> by = new EnumMap<>(Outcome.Source.class);
    for (String key : keys) {
      switch (outcomes.get(key)) {
        case Outcome.Indexed indexed -> {
          rows.add(indexed.row());
          by.merge(indexed.from(), 1, Integer::sum);
        }
        case Outcome.Rejected rejected ->
            skipped.add(new VersionWriter.Skipped(key, rejected.sha256(), rejected.reason()));
        case null -> throw new IllegalStateException("no outcome for " + key);
      }
    }
    for (VersionWriter.Skipped s : skipped) {
      log.println("skipped " + s.key() + ": " + s.reason());
    }
    return new Tally(rows, skipped, by);
  }

  /** Writes the version; publishes it unless its files equal the live version's. */
  private void publish(Tally tally, ReusableRows live, IndexSummary.Builder summary)
      throws IOException {
    Path staging = Files.createTempDirectory(settings.workDir(), "staging-");
    try {
      VersionWriter.write(
          staging, model.modelId(), model.projectionDim(), tally.rows(), tally.skipped());
      CalibrationStep.writeInto(
          staging,
          CalibrationStep.matrixOf(tally.rows(), model.projectionDim()),
          model,
          settings.threads(),
          log);
      if (sameFiles(staging, live.fileSha256())) {
        summary.published(live.version().orElseThrow(), true);
      } else {
        summary.published(
            new IndexPublisher(store, settings.keepVersions()).publish(staging), false);
      }
    } finally {
      deleteTree(staging);
    }
  }

  /** Deletes the thumbnails (and copied originals) of images no longer listed; returns how many. */
  private int deleteGone(List<String> keys, ReusableRows live) {
    List<String> gone = gone(keys, live);
    for (String key : gone) {
      store.delete(ObjectKeys.thumbnail(key));
      if (!source.inIndexStore()) {
        store.delete(ObjectKeys.original(key));
      }
    }
    return gone.size();
  }

  /** Keys of the live version that are no longer listed. */
  private static List<String> gone(List<String> keys, ReusableRows live) {
    Set<String> listed = new HashSet<>(keys);
    List<String> gone = new ArrayList<>();
    for (String key : live.keys()) {
      if (!listed.contains(key)) {
        gone.add(key);
      }
    }
    return gone;
  }

  /** True when the staged data files hash like the live version's (nothing to publish). */
  private static boolean sameFiles(Path staging, Map<String, String> live) {
    if (live.isEmpty()) {
      return false;
    }
    // A live version without calibration (published before it existed) is replaced: the next
    // publish adds it.
    for (String name :
        List.of(
            IndexFiles.EMBEDDINGS,
            IndexFiles.METADATA,
            IndexFiles.SKIPPED,
            IndexFiles.CALIBRATION)) {
      Path file = staging.resolve(name);
      if (!Files.exists(file) || !Sha256.hex(file).equals(live.get(name))) {
        return false;
      }
    }
    return true;
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover staging folder in the work folder is harmless.
    }
  }
}
