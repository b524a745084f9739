package dev.imagesearch.index;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far a run is: a progress bar with rate and ETA on a terminal, a plain log line every
 * few seconds otherwise (CI logs and files get readable lines, not carriage returns). Thread-safe.
 *
 * <pre>{@code
 * try (Progress progress = Progress.create(total, System.console() != null, System.err)) {
 *   progress.step(); // one image done
 * }
 * }</pre>
 */
abstract class Progress implements AutoCloseable {
  static final Duration LOG_EVERY = Duration.ofSeconds(5);

  /** A bar on a terminal, log lines otherwise. */
  static Progress create(long total, boolean terminal, PrintStream out) {
    return terminal ? new Bar(total, out) : new Lines(total, out, LOG_EVERY.toNanos());
  }

  abstract void step();

  @Override
  public abstract void close();

  private static final class Bar extends Progress {
    private final ProgressBar bar;

    Bar(long total, PrintStream out) {
      this.bar =
          new ProgressBarBuilder()
              .setTaskName("indexing")
              .setInitialMax(total)
              .setStyle(ProgressBarStyle.ASCII)
              .setUnit(" img", 1)
              .showSpeed()
              .setSpeedUnit(ChronoUnit.SECONDS)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .build();
    }

    @Override
    void step() {
      bar.step();
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  private static final class Lines extends Progress {
    private final long total;
    private final PrintStream out;
    private final long everyNanos;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong nextLog;

    Lines(long total, PrintStream out, long everyNanos) {
      this.total = total;
      this.out = out;
      this.everyNanos = everyNanos;
      this.nextLog = new AtomicLong(start + everyNanos);
    }

    @Override
    void step() {
      long n = done.incrementAndGet();
      long now = System.nanoTime();
      long due = nextLog.get();
      if (now >= due && nextLog.compareAndSet(due, now + everyNanos)) {
        double seconds = (now - start) / 1e9;
        double rate = n / Math.max(seconds, 1e-9);
        long etaSeconds = rate > 0 ? Math.round((total - n) / rate) : -1;
        out.printf(
            "indexing: %d/%d images (%.0f%%), %.1f images/s, ETA %s%n",
            n,
            total,
            total == 0 ? 100.0 : 100.0 * n / total,
            rate,
            etaSeconds < 0 ? "?" : Duration.ofSeconds(etaSeconds).toString().substring(2));
      }
    }

    @Override
    public void close() {}
  }
}
