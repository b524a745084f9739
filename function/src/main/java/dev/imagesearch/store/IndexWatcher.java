package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the live index current without restarts: checks the tag (ETag) of {@code index/CURRENT}
 * every interval on a daemon thread, loads a new version in the background and swaps it in
 * atomically. Queries call {@link #current()} once and keep that snapshot to the end, so a swap
 * never disturbs a query in flight.
 *
 * <p>A version that fails its checks is refused with one log line (through {@link System.Logger},
 * the project's logging facade) and the old version keeps serving; the refused tag is remembered
 * and retried only when {@code CURRENT} changes again. Store failures (unreachable, no bucket, no
 * credentials) and "no index yet" leave the watcher not ready; it retries every interval (sooner,
 * with backoff, after a {@linkplain StoreException.Kind#TRANSIENT transient} one) and recovers by
 * itself. {@link #status()} feeds {@code /readyz}.
 *
 * <pre>{@code
 * IndexWatcher watcher = new IndexWatcher(new IndexLoader(store), "tiny-clip-v1", 64,
 *     Duration.ofSeconds(30));
 * watcher.start();
 * LoadedIndex index = watcher.current().orElseThrow(); // one snapshot per query
 * }</pre>
 */
public final class IndexWatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IndexWatcher.class.getName());
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  /** How long {@link #close()} waits for a poll in flight (an index load from S3). */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  /**
   * What {@code /readyz} shows.
   *
   * @param liveVersion the version being served, or null before the first successful load
   * @param lastError why the newest state is not served (null when all is well)
   * @param checkedAt when CURRENT was last checked (null before the first check)
   */
  public record Status(String liveVersion, String lastError, Instant checkedAt) {
    public boolean ready() {
      return liveVersion != null;
    }
  }

  private final IndexLoader loader;
  private final String modelId;
  private final int dim;
  private final Duration interval;
  private final AtomicReference<LoadedIndex> live = new AtomicReference<>();
  private volatile Status status = new Status(null, "index not loaded yet", null);
  private String liveTag;
  private String refusedTag;
  private String lastLogged;
  private ScheduledExecutorService scheduler;
  private boolean retrySoon;
  private Duration backoff = Duration.ZERO;

  public IndexWatcher(IndexLoader loader, String modelId, int dim, Duration interval) {
    this.loader = loader;
    this.modelId = modelId;
    this.dim = dim;
    this.interval = interval;
  }

  /** Checks now, then every interval on a daemon thread (no polling when the interval is 0). */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "index-watcher");
              t.setDaemon(true);
              return t;
            });
    // close() waits for a check in flight, not for a retry scheduled for later.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    scheduler = executor;
    if (interval.isZero() || interval.isNegative()) {
      scheduler.execute(this::pollQuietly);
    } else {
      scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void check() {
    pollQuietly();
    retryIfTransient();
  }

  /**
   * After a transient store failure (network, timeout, throttling, 5xx), one extra check after a
   * backoff of 1 s, doubling while it keeps failing, until the regular interval is as soon: a blip
   * does not cost a whole interval, an outage is not hammered. Configuration and access failures
   * wait for the interval; their message in {@code /readyz} says what to fix.
   */
  private synchronized void retryIfTransient() {
    if (!retrySoon || scheduler == null) {
      backoff = Duration.ZERO;
      return;
    }
    Duration doubled = backoff.isZero() ? FIRST_RETRY : backoff.multipliedBy(2);
    backoff = doubled.compareTo(interval) < 0 ? doubled : interval;
    if (backoff.compareTo(interval) < 0) {
      scheduler.schedule(this::check, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The snapshot to run a query on, or empty when no index is loaded yet. */
  public Optional<LoadedIndex> current() {
    return Optional.ofNullable(live.get());
  }

  public Status status() {
    return status;
  }

  /**
   * Checks CURRENT once and loads a new version if it changed. Runs on the watcher's thread; tests
   * and the SnapStart priming hook may call it directly.
   */
  public synchronized void poll() {
    Instant now = Instant.now();
    Optional<String> tag;
    try {
      tag = loader.currentTag();
    } catch (ImageSearchException e) {
      retrySoon = e instanceof StoreException s && s.kind() == StoreException.Kind.TRANSIENT;
      fail(e.getMessage(), now);
      return;
    }
    retrySoon = false;
    if (tag.isEmpty()) {
      fail(IndexFiles.noIndex(loader.store()).getMessage(), now);
      return;
    }
    if (tag.get().equals(liveTag)) {
      succeed(now);
      return;
    }
    if (tag.get().equals(refusedTag)) {
      status = new Status(status.liveVersion(), status.lastError(), now);
      return;
    }
    String version = null;
    try {
      version = loader.currentVersion().orElseThrow(() -> IndexFiles.noIndex(loader.store()));
      LoadedIndex current = live.get();
      if (current != null && current.version().equals(version)) {
        liveTag = tag.get();
        succeed(now);
        return;
      }
      LoadedIndex loaded = loader.load(version, modelId, dim);
      live.set(loaded);
      liveTag = tag.get();
      refusedTag = null;
      lastLogged = null;
      status = new Status(loaded.version(), null, now);
      LOG.log(
          Level.INFO,
          "serving index {0} ({1} images) from {2}",
          loaded.version(),
          loaded.size(),
          loader.store().describe());
    } catch (InvalidIndexException e) {
      refusedTag = tag.get();
      String message =
          "refused index "
              + (version == null ? "" : version + " ")
              + "from "
              + loader.store().describe()
              + ": "
              + e.getMessage()
              + keepsServing();
      status = new Status(status.liveVersion(), message, now);
      lastLogged = message;
      LOG.log(Level.WARNING, message);
    } catch (ImageSearchException e) {
      fail(e.getMessage(), now);
    } catch (Error e) {
      // Out of memory while loading (seen: 1,000,000 rows under the EC2 unit's flags), or another
      // JVM error: refuse this version like an invalid one, so it is not reloaded every interval,
      // keep serving the old one, and say why in /readyz and the log.
      refusedTag = tag.get();
      String message =
          "could not load index "
              + (version == null ? "" : version + " ")
              + "from "
              + loader.store().describe()
              + ": "
              + describe(e)
              + keepsServing();
      status = new Status(status.liveVersion(), message, now);
      lastLogged = message;
      LOG.log(Level.ERROR, message);
    }
  }

  /** The scheduled check: nothing it throws may cancel the schedule or pass unreported. */
  private void pollQuietly() {
    try {
      poll();
    } catch (Throwable t) {
      fail("index check failed: " + describe(t), Instant.now());
    }
  }

  private static String describe(Throwable t) {
    if (t instanceof OutOfMemoryError) {
      return "out of memory ("
          + t.getMessage()
          + "): give the process more memory (heap or direct memory) or serve a smaller index";
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private String keepsServing() {
    LoadedIndex current = live.get();
    return current == null ? "; no index is served" : "; still serving " + current.version();
  }

  private void succeed(Instant now) {
    LoadedIndex current = live.get();
    if (status.lastError() != null && current != null && lastLogged != null) {
      LOG.log(Level.INFO, "index store reachable again; serving {0}", current.version());
    }
    lastLogged = null;
    status = new Status(current == null ? null : current.version(), null, now);
  }

  /** Records a store failure; logs it only when it differs from the last one (no log spam). */
  private void fail(String message, Instant now) {
    String full = message + keepsServing();
    status = new Status(status.liveVersion(), full, now);
    if (!Objects.equals(full, lastLogged)) {
      lastLogged = full;
      LOG.log(Level.WARNING, full);
    }
  }

  /**
   * Stops polling and waits (up to {@link #CLOSE_WAIT}) for a poll in flight to finish, so nothing
   * is half-way through an S3 request when SnapStart takes its snapshot; {@link #start()} resumes.
   * The wait happens outside this object's lock: the poll in flight needs it to finish.
   */
  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = scheduler;
      scheduler = null;
    }
    if (stopping == null) {
      return;
    }
    stopping.shutdown();
    try {
      if (!stopping.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        stopping.shutdownNow();
        LOG.log(Level.WARNING, "index check still running after " + CLOSE_WAIT + "; interrupted");
      }
    } catch (InterruptedException e) {
      stopping.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
