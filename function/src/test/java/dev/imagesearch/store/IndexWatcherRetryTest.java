package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher acts on the kind of a store failure: a transient one is retried soon (1 s, then 2 s,
 * ...) instead of after the whole interval; a configuration one waits for the interval and says
 * what to fix.
 */
class IndexWatcherRetryTest {
  private static final String MODEL = "test-model";
  private static final Duration AN_HOUR = Duration.ofHours(1);
  @TempDir Path dir;

  /** Our own {@link BlobStore} interface over a real local store, failing its first checks. */
  private static final class FailingFirst implements BlobStore {
    final BlobStore real;
    final StoreException failure;
    final AtomicInteger failuresLeft;
    final AtomicInteger checks = new AtomicInteger();

    FailingFirst(BlobStore real, StoreException failure, int failures) {
      this.real = real;
      this.failure = failure;
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Optional<String> tag(String key) {
      checks.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        throw failure;
      }
      return real.tag(key);
    }

    @Override
    public InputStream open(String key) {
      return real.open(key);
    }

    @Override
    public Optional<byte[]> readIfExists(String key) {
      return real.readIfExists(key);
    }

    @Override
    public void write(String key, byte[] bytes) {
      real.write(key, bytes);
    }

    @Override
    public void write(String key, Path file) {
      real.write(key, file);
    }

    @Override
    public List<String> list(String prefix) {
      return real.list(prefix);
    }

    @Override
    public void delete(String key) {
      real.delete(key);
    }

    @Override
    public URI signedUrl(String key, Duration ttl) {
      return real.signedUrl(key, ttl);
    }

    @Override
    public String describe() {
      return real.describe();
    }
  }

  private BlobStore published() {
    LocalBlobStore store =
        new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
    Path staging = StagedIndex.write(dir.resolve("staging"), MODEL, 5, 4, Npy.DType.FLOAT16, 1);
    new IndexPublisher(store, 3, Clock.fixed(Instant.parse("2026-12-01T03:00:00Z"), ZoneOffset.UTC))
        .publish(staging);
    return store;
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    for (int i = 0; i < 1_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
  }

  @Test
  void aTransientFailureIsRetriedWithBackoffNotAfterTheInterval() throws Exception {
    FailingFirst store =
        new FailingFirst(
            published(),
            new StoreException(StoreException.Kind.TRANSIENT, "S3 check failed (status 503)", null),
            2);
    try (IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, 4, AN_HOUR)) {
      watcher.start();
      // The first check and its retry after 1 s fail; the retry after 2 s more succeeds.
      await(() -> watcher.status().ready());
      assertEquals(true, watcher.status().ready(), String.valueOf(watcher.status().lastError()));
      assertEquals(3, store.checks.get());
      assertEquals(null, watcher.status().lastError());
    }
  }

  @Test
  void aConfigurationFailureWaitsForTheIntervalAndSaysWhatToFix() throws Exception {
    String message = "bucket 'photos' does not exist at S3 in eu-west-1: check BUCKET_NAME";
    FailingFirst store =
        new FailingFirst(
            published(), new StoreException(StoreException.Kind.CONFIGURATION, message, null), 1);
    try (IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), MODEL, 4, AN_HOUR)) {
      watcher.start();
      await(() -> store.checks.get() > 0 && watcher.status().lastError() != null);
      Thread.sleep(1_500); // longer than the first transient retry would wait
      assertEquals(1, store.checks.get());
      assertFalse(watcher.status().ready());
      assertEquals(message + "; no index is served", watcher.status().lastError());
    }
  }
}
