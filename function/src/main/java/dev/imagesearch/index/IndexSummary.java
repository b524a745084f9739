package dev.imagesearch.index;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one run did, as counted, and the line the command prints at the end. Built by name:
 *
 * <pre>{@code
 * IndexSummary.builder(998).count(EMBEDDED, 12).count(REUSED, 986).published("v2", false).build();
 * }</pre>
 *
 * @param listed image files found under the source
 * @param embedded images run through the vision model in this run
 * @param reused images whose rows came from the live index (same content hash)
 * @param resumed images whose rows came from the checkpoint of an interrupted run
 * @param dropped images of the live index whose files are gone
 * @param skipped files that could not be indexed (listed in {@code skipped.jsonl})
 * @param elapsed wall time of the run
 * @param version the published version; empty for a dry run or when nothing could be indexed
 * @param dryRun nothing was written
 * @param unchanged the new version would equal the live one, so nothing was published
 */
public record IndexSummary(
    int listed,
    int embedded,
    int reused,
    int resumed,
    int dropped,
    int skipped,
    Duration elapsed,
    Optional<String> version,
    boolean dryRun,
    boolean unchanged) {

  /** Images in the new version. */
  public int indexed() {
    return embedded + reused + resumed;
  }

  /** Files handled per second (embedded, reused or skipped). */
  public double imagesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : listed / seconds;
  }

  /** The one summary line, e.g. {@code indexed 998 (embedded 12, reused 986, resumed 0), ...}. */
  public String line() {
    return String.format(
        Locale.ROOT,
        "%s %d (embedded %d, reused %d, resumed %d), dropped %d, skipped %d in %.1f s"
            + " (%.1f images/s)%s",
        dryRun ? "dry run: would index" : "indexed",
        indexed(),
        embedded,
        reused,
        resumed,
        dropped,
        skipped,
        elapsed.toNanos() / 1e9,
        imagesPerSecond(),
        version
            .map(v -> (unchanged ? "; unchanged, live version " : "; published ") + v)
            .orElse(""));
  }

  /** The counts of a run, by name. */
  public enum Count {
    EMBEDDED,
    REUSED,
    RESUMED,
    DROPPED,
    SKIPPED
  }

  /** A summary of a run that listed {@code listed} files; every count starts at 0. */
  public static Builder builder(int listed) {
    return new Builder(listed);
  }

  /** Names each count, so no two are swapped by position. */
  public static final class Builder {
    private final int listed;
    private final Map<Count, Integer> counts = new EnumMap<>(Count.class);
    private Duration elapsed = Duration.ZERO;
    private Optional<String> version = Optional.empty();
    private boolean dryRun;
    private boolean unchanged;

    private Builder(int listed) {
      this.listed = listed;
    }

    public Builder count(Count count, int n) {
      counts.put(count, n);
      return this;
    }

    public Builder elapsed(Duration d) {
      elapsed = d;
      return this;
    }

    /** The live version after the run; {@code unchanged} when it is the one served before. */
    public Builder published(String name, boolean sameAsBefore) {
      version = Optional.of(name);
      unchanged = sameAsBefore;
      return this;
    }

    /** Nothing was written. */
    public Builder dryRun() {
      dryRun = true;
      return this;
    }

    public IndexSummary build() {
      return new IndexSummary(
          listed,
          get(Count.EMBEDDED),
          get(Count.REUSED),
          get(Count.RESUMED),
          get(Count.DROPPED),
          get(Count.SKIPPED),
          elapsed,
          version,
          dryRun,
          unchanged);
    }

    private int get(Count count) {
      return counts.getOrDefault(count, 0);
    }
  }
}
