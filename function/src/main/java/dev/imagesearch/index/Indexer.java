package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.ClipImageEncoder;
import dev.imagesearch.clip.ClipImagePreprocessor;
import dev.imagesearch.clip.ModelDirectory;
import dev.imagesearch.clip.OnnxSession;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The indexer pipeline: list the originals, hash them, reuse the rows of unchanged content, decode
 * and preprocess the rest on {@code threads} workers while the calling thread runs batched
 * inference, append each finished batch to the {@link Checkpoint}, then write and publish a new
 * version and clean up.
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
  /** Test hook: milliseconds to sleep after each checkpointed batch (kill tests). */
  static final String PAUSE_PROPERTY = "image-search.index.pause-after-batch-ms";

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
   */
  public record Settings(
      int batchSize,
      int threads,
      boolean thumbnails,
      boolean dryRun,
      int keepVersions,
      long maxPixels,
      Path workDir,
      boolean terminal) {}

  private sealed interface Outcome {}

  private record Indexed(EmbeddedRow row, Source from) implements Outcome {}

  private record Rejected(String sha256, String reason) implements Outcome {}

  private enum Source {
    EMBEDDED,
    REUSED,
    RESUMED
  }

  private record Pending(String key, String sha256, int width, int height, float[] pixels) {}

  private final BlobStore store;
  private final ImageSource source;
  private final ModelDirectory model;
  private final Settings settings;
  private final PrintStream log;
  private final ImageDecoder decoder;
  private final Thumbnailer thumbnailer = Thumbnailer.defaults();

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
    this.decoder = new ImageDecoder(settings.maxPixels());
  }

  /** Runs once; throws {@link ImageSearchException} when the store or the model fails. */
  public IndexSummary run() {
    long start = System.nanoTime();
    try (FileChannel lockFile = lock()) {
      List<String> keys = source.keys();
      if (keys.isEmpty()) {
        throw new NoImagesException(
            "no images ("
                + String.join(", ", new java.util.TreeSet<>(ImageSource.EXTENSIONS))
                + ") in "
                + source.describe());
      }
      PreviousIndex previous = PreviousIndex.load(store, model.modelId(), model.projectionDim());
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
              + previous.note());
      HashCache hashes = HashCache.read(settings.workDir().resolve("hashes.jsonl"));
      if (settings.dryRun()) {
        return dryRun(keys, previous, hashes, start);
      }
      return embedAndPublish(keys, previous, hashes, start);
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

  private IndexSummary dryRun(
      List<String> keys, PreviousIndex previous, HashCache hashes, long start) {
    int embed = 0;
    int reuse = 0;
    int skip = 0;
    for (String key : keys) {
      Optional<String> tag = source.tag(key);
      String sha = hashes.lookup(key, tag).orElseGet(() -> Hashing.sha256(source.read(key)));
      Optional<String> knownBad = previous.skipReason(sha);
      if (previous.bySha(sha).isPresent()) {
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
    Set<String> listed = new HashSet<>(keys);
    int dropped = 0;
    for (String key : previous.keys()) {
      if (!listed.contains(key)) {
        log.println("drop  " + key);
        dropped++;
      }
    }
    return new IndexSummary(
        keys.size(), embed, reuse, 0, dropped, skip, elapsed(start), Optional.empty(), true, false);
  }

  private IndexSummary embedAndPublish(
      List<String> keys, PreviousIndex previous, HashCache hashes, long start) {
    Set<String> thumbs =
        settings.thumbnails() ? new HashSet<>(store.list(ObjectKeys.THUMBS)) : Set.of();
    Set<String> storedImages =
        source.inIndexStore() ? Set.of() : new HashSet<>(store.list(ObjectKeys.IMAGES));
    Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    Checkpoint checkpoint =
        Checkpoint.open(
            settings.workDir().resolve("checkpoint.jsonl"), model.modelId(), model.projectionDim());
    try {
      Map<String, EmbeddedRow> resumedBySha = new HashMap<>();
      Map<String, EmbeddedRow> resumedByKey = new HashMap<>();
      for (EmbeddedRow row : checkpoint.resumed()) {
        resumedBySha.put(row.sha256(), row);
        resumedByKey.put(row.key(), row);
      }
      if (!resumedBySha.isEmpty()) {
        log.println("resuming: " + resumedBySha.size() + " images were embedded by an earlier run");
      }
      ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(model.preprocessorConfig());
      try (LazyEncoder encoder = new LazyEncoder(preprocessor);
          Progress progress = Progress.create(keys.size(), settings.terminal(), log)) {
        Worker worker =
            new Worker(
                previous,
                hashes,
                resumedBySha,
                resumedByKey,
                thumbs,
                storedImages,
                preprocessor,
                outcomes,
                progress);
        pipeline(keys, worker, encoder, checkpoint, outcomes, progress);
      }

      List<EmbeddedRow> rows = new ArrayList<>(keys.size());
      List<VersionWriter.Skipped> skipped = new ArrayList<>();
      int[] counts = new int[Source.values().length];
      for (String key : keys) {
        switch (outcomes.get(key)) {
          case Indexed indexed -> {
            rows.add(indexed.row());
            counts[indexed.from().ordinal()]++;
          }
          case Rejected rejected ->
              skipped.add(new VersionWriter.Skipped(key, rejected.sha256(), rejected.reason()));
          case null -> throw new IllegalStateException("no outcome for " + key);
        }
      }
      for (VersionWriter.Skipped s : skipped) {
        log.println("skipped " + s.key() + ": " + s.reason());
      }
      if (rows.isEmpty()) {
        // Publishing an empty index would hide the previous one: keep it, say why (exit code 1).
        log.println(
            "nothing could be indexed: every file was skipped; the live index is unchanged");
        return new IndexSummary(
            keys.size(),
            0,
            0,
            0,
            0,
            skipped.size(),
            elapsed(start),
            Optional.empty(),
            false,
            false);
      }
      Path staging = Files.createTempDirectory(settings.workDir(), "staging-");
      String version;
      boolean unchanged;
      try {
        VersionWriter.write(staging, model.modelId(), model.projectionDim(), rows, skipped);
        unchanged = sameFiles(staging, previous.fileSha256());
        version =
            unchanged
                ? previous.version().orElseThrow()
                : new IndexPublisher(store, settings.keepVersions()).publish(staging);
      } finally {
        deleteTree(staging);
      }
      Set<String> listed = new HashSet<>(keys);
      int dropped = 0;
      for (String key : previous.keys()) {
        if (!listed.contains(key)) {
          dropped++;
          store.delete(ObjectKeys.thumbnail(key));
          if (!source.inIndexStore()) {
            store.delete(ObjectKeys.original(key));
          }
        }
      }
      hashes.save();
      checkpoint.delete();
      return new IndexSummary(
          keys.size(),
          counts[Source.EMBEDDED.ordinal()],
          counts[Source.REUSED.ordinal()],
          counts[Source.RESUMED.ordinal()],
          dropped,
          skipped.size(),
          elapsed(start),
          Optional.of(version),
          false,
          unchanged);
    } catch (IOException e) {
      throw new ImageSearchException(
          "cannot write in " + settings.workDir() + ": " + e.getMessage(), e);
    } finally {
      checkpoint.close();
    }
  }

  /** Decode on worker threads, infer on this one, with a bounded queue between them. */
  private void pipeline(
      List<String> keys,
      Worker worker,
      LazyEncoder encoder,
      Checkpoint checkpoint,
      Map<String, Outcome> outcomes,
      Progress progress) {
    int threads = Math.max(1, settings.threads());
    BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(Math.max(2, 2 * settings.batchSize()));
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(threads);
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "index-decode-" + names.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long pauseMs = Long.getLong(PAUSE_PROPERTY, 0L);
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(
            () -> {
              try {
                for (int i; failure.get() == null && (i = next.getAndIncrement()) < keys.size(); ) {
                  worker.prepare(keys.get(i), queue);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              } finally {
                finished.countDown();
              }
            });
      }
      List<Pending> batch = new ArrayList<>(settings.batchSize());
      while (failure.get() == null) {
        Pending pending = queue.poll(50, TimeUnit.MILLISECONDS);
        if (pending != null) {
          batch.add(pending);
          if (batch.size() == settings.batchSize()) {
            embed(batch, encoder, checkpoint, outcomes, progress);
            if (pauseMs > 0) {
              Thread.sleep(pauseMs);
            }
          }
        } else if (finished.getCount() == 0 && queue.isEmpty()) {
          break;
        }
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      embed(batch, encoder, checkpoint, outcomes, progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageSearchException("indexing was interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void embed(
      List<Pending> batch,
      LazyEncoder encoder,
      Checkpoint checkpoint,
      Map<String, Outcome> outcomes,
      Progress progress) {
    if (batch.isEmpty()) {
      return;
    }
    float[][] embeddings =
        encoder.get().embedPreprocessed(batch.stream().map(Pending::pixels).toList());
    List<EmbeddedRow> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      rows.add(EmbeddedRow.of(p.key(), p.sha256(), p.width(), p.height(), embeddings[i]));
    }
    checkpoint.append(rows);
    for (EmbeddedRow row : rows) {
      outcomes.put(row.key(), new Indexed(row, Source.EMBEDDED));
      progress.step();
    }
    batch.clear();
  }

  /** The vision model, loaded on the first batch: a run with nothing new never loads it. */
  private final class LazyEncoder implements AutoCloseable {
    private final ClipImagePreprocessor preprocessor;
    private OnnxSession session;
    private ClipImageEncoder encoder;

    LazyEncoder(ClipImagePreprocessor preprocessor) {
      this.preprocessor = preprocessor;
    }

    ClipImageEncoder get() {
      if (encoder == null) {
        Path file = model.visionModel();
        session = OnnxSession.open(file, settings.threads());
        encoder =
            new ClipImageEncoder(
                session, preprocessor, model.projectionDim(), inferenceBatch(file));
      }
      return encoder;
    }

    @Override
    public void close() {
      if (session != null) {
        session.close();
      }
    }
  }

  /**
   * Images per ONNX Runtime call. A dynamically quantized (int8) model computes one activation
   * scale over its whole input tensor, so in a batch each image's embedding would depend on the
   * other images in it: a resumed or incremental run would then not reproduce the rows of a full
   * run. Such models get one image per call (each row a function of its image alone); fp32 models
   * get the whole batch.
   */
  private int inferenceBatch(Path visionModel) {
    return visionModel.getFileName().toString().endsWith("_quantized.onnx")
        ? 1
        : settings.batchSize();
  }

  /** What a decode worker does for one key. */
  private final class Worker {
    private final PreviousIndex previous;
    private final HashCache hashes;
    private final Map<String, EmbeddedRow> resumedBySha;
    private final Map<String, EmbeddedRow> resumedByKey;
    private final Set<String> thumbs;
    private final Set<String> storedImages;
    private final ClipImagePreprocessor preprocessor;
    private final Map<String, Outcome> outcomes;
    private final Progress progress;

    Worker(
        PreviousIndex previous,
        HashCache hashes,
        Map<String, EmbeddedRow> resumedBySha,
        Map<String, EmbeddedRow> resumedByKey,
        Set<String> thumbs,
        Set<String> storedImages,
        ClipImagePreprocessor preprocessor,
        Map<String, Outcome> outcomes,
        Progress progress) {
      this.previous = previous;
      this.hashes = hashes;
      this.resumedBySha = resumedBySha;
      this.resumedByKey = resumedByKey;
      this.thumbs = thumbs;
      this.storedImages = storedImages;
      this.preprocessor = preprocessor;
      this.outcomes = outcomes;
      this.progress = progress;
    }

    void prepare(String key, BlockingQueue<Pending> queue) throws InterruptedException {
      Optional<String> tag = source.tag(key);
      String sha = hashes.lookup(key, tag).orElse(null);
      byte[] bytes = null;
      if (sha == null) {
        bytes = source.read(key);
        sha = Hashing.sha256(bytes);
      }
      hashes.remember(key, tag, sha);
      EmbeddedRow resumed = resumedBySha.get(sha);
      EmbeddedRow known = resumed != null ? resumed : previous.bySha(sha).orElse(null);
      // Thumbnail and copied original are current when this key had this content before.
      String content = sha;
      boolean unchanged =
          previous.byKey(key).map(r -> r.sha256().equals(content)).orElse(false)
              || Optional.ofNullable(resumedByKey.get(key))
                  .map(r -> r.sha256().equals(content))
                  .orElse(false);
      boolean needThumb =
          settings.thumbnails() && !(unchanged && thumbs.contains(ObjectKeys.thumbnail(key)));
      boolean needCopy =
          !source.inIndexStore() && !(unchanged && storedImages.contains(ObjectKeys.original(key)));
      if (known != null && !needThumb && !needCopy) {
        done(key, known, resumed != null);
        return;
      }
      if (bytes == null) {
        bytes = source.read(key);
      }
      DecodedImage image = null;
      byte[] thumbnail = null;
      float[] pixels = null;
      if (known == null || needThumb) {
        try {
          image = decoder.decode(bytes);
          thumbnail = needThumb ? thumbnailer.jpeg(image.image()) : null;
          pixels = known == null ? preprocessor.preprocess(image.image()) : null;
        } catch (ImageRejectedException e) {
          reject(key, sha, e.getMessage());
          return;
        } catch (RuntimeException | OutOfMemoryError e) {
          // A pixel layout no converter expected, or too big to preprocess: that file only.
          reject(key, sha, "cannot process the decoded image: " + e);
          return;
        }
      }
      if (needCopy) {
        store.write(ObjectKeys.original(key), bytes);
      }
      if (thumbnail != null) {
        store.write(ObjectKeys.thumbnail(key), thumbnail);
      }
      if (known != null) {
        done(key, known, resumed != null);
        return;
      }
      queue.put(new Pending(key, sha, image.width(), image.height(), pixels));
    }

    private void reject(String key, String sha, String reason) {
      outcomes.put(key, new Rejected(sha, reason));
      progress.step();
    }

    private void done(String key, EmbeddedRow known, boolean fromCheckpoint) {
      outcomes.put(
          key, new Indexed(known.withKey(key), fromCheckpoint ? Source.RESUMED : Source.REUSED));
      progress.step();
    }
  }

  /** True when the staged data files hash like the live version's (nothing to publish). */
  private static boolean sameFiles(Path staging, Map<String, String> live) {
    if (live.isEmpty()) {
      return false;
    }
    for (String name : List.of(IndexFiles.EMBEDDINGS, IndexFiles.METADATA, IndexFiles.SKIPPED)) {
      try {
        if (!Hashing.sha256(Files.readAllBytes(staging.resolve(name))).equals(live.get(name))) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover staging folder in the work folder is harmless.
    }
  }
}
