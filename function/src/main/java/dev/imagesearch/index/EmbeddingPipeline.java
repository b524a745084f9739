package dev.imagesearch.index;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.clip.ModelDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decode on worker threads, infer on the calling thread, with a bounded queue between them: the
 * workers run an {@link ImagePreparer} per key, the calling thread embeds each full batch with the
 * model's {@link ClipModel#imageEncoder()} (the same encoder, and the same batch rule, as every
 * other caller), appends it to the {@link Checkpoint} and records the outcome.
 *
 * <p>The model is loaded on the first batch, so a run with nothing new never loads it.
 */
final class EmbeddingPipeline implements AutoCloseable {
  private final ModelDirectory directory;
  private final int batchSize;
  private final int threads;
  private final Duration pauseAfterBatch;
  private ClipModel model;

  /**
   * @param batchSize images per checkpointed batch (and per model call for fp32 models)
   * @param threads decode threads, and ONNX Runtime intra-op threads
   * @param pauseAfterBatch a pause after each checkpointed batch (zero: none)
   */
  EmbeddingPipeline(
      ModelDirectory directory, int batchSize, int threads, Duration pauseAfterBatch) {
    this.directory = directory;
    this.batchSize = batchSize;
    this.threads = Math.max(1, threads);
    this.pauseAfterBatch = pauseAfterBatch;
  }

  /** Prepares every key, embeds what needs embedding, and records each key's outcome. */
  void run(
      List<String> keys,
      ImagePreparer preparer,
      Checkpoint checkpoint,
      Map<String, Outcome> outcomes,
      Progress progress) {
    BlockingQueue<ImagePreparer.Pending> queue =
        new ArrayBlockingQueue<>(Math.max(2, 2 * batchSize));
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(threads);
    ExecutorService pool = decodeThreads();
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(
            () -> {
              try {
                for (int i; failure.get() == null && (i = next.getAndIncrement()) < keys.size(); ) {
                  preparer.prepare(keys.get(i), queue);
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
      List<ImagePreparer.Pending> batch = new ArrayList<>(batchSize);
      while (failure.get() == null) {
        ImagePreparer.Pending pending = queue.poll(50, TimeUnit.MILLISECONDS);
        if (pending != null) {
          batch.add(pending);
          if (batch.size() == batchSize) {
            embed(batch, checkpoint, outcomes, progress);
            if (pauseAfterBatch.isPositive()) {
              Thread.sleep(pauseAfterBatch);
            }
          }
        } else if (finished.getCount() == 0 && queue.isEmpty()) {
          break;
        }
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      embed(batch, checkpoint, outcomes, progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageSearchException("indexing was interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private ExecutorService decodeThreads() {
    AtomicInteger names = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "index-decode-" + names.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private void embed(
      List<ImagePreparer.Pending> batch,
      Checkpoint checkpoint,
      Map<String, Outcome> outcomes,
      Progress progress) {
    if (batch.isEmpty()) {
      return;
    }
    float[][] embeddings =
        model()
            .imageEncoder()
            .embedPreprocessed(batch.stream().map(ImagePreparer.Pending::pixels).toList());
    List<EmbeddedRow> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      ImagePreparer.Pending p = batch.get(i);
      rows.add(EmbeddedRow.of(p.key(), p.sha256(), p.width(), p.height(), embeddings[i]));
    }
    checkpoint.append(rows);
    for (EmbeddedRow row : rows) {
      outcomes.put(row.key(), new Outcome.Indexed(row, Outcome.Source.EMBEDDED));
      progress.step();
    }
    batch.clear();
  }

  private ClipModel model() {
    if (model == null) {
      model =
          ClipModel.load(
              directory,
              new ClipModel.Options(ModelDirectory.Precision.PREFER_QUANTIZED, threads, batchSize));
    }
    return model;
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
