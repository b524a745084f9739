package dev.imagesearch.index;

/** What became of one listed image in a run: a row for the new version, or a reason to skip it. */
sealed interface Outcome {

  /** Where an indexed image's row came from. */
  enum Source {
    /** Run through the vision model in this run. */
    EMBEDDED,
    /** Taken from the live version (same content hash). */
    REUSED,
    /** Taken from the checkpoint of an interrupted run. */
    RESUMED
  }

  /** The image has a row. */
  record Indexed(EmbeddedRow row, Source from) implements Outcome {}

  /** The file could not be indexed ({@code sha256} empty when it could not be read). */
  record Rejected(String sha256, String reason) implements Outcome {}
}
