package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;

/** Names of the index layout in a store: {@code index/CURRENT} and {@code index/<version>/...}. */
public final class IndexFiles {
  public static final String CURRENT = "index/CURRENT";
  public static final String EMBEDDINGS = "embeddings.npy";
  public static final String METADATA = "metadata.jsonl";
  public static final String MANIFEST = "manifest.json";
  public static final String SKIPPED = "skipped.jsonl";

  /** What unrelated queries reach on this version (optional: older versions lack it). */
  public static final String CALIBRATION = "calibration.json";

  private IndexFiles() {}

  /** The key of {@code file} in {@code version}: {@code index/<version>/<file>}. */
  public static String key(String version, String file) {
    return "index/" + checkVersion(version) + "/" + file;
  }

  /** A version name is one safe path segment (e.g. {@code 20261130T031500Z-1a2b3c4d}). */
  public static String checkVersion(String version) {
    if (version == null || !version.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new InvalidIndexException(
          CURRENT + " names '" + version + "', which is not a version name");
    }
    return version;
  }

  static ImageSearchException noIndex(BlobStore store) {
    return new ImageSearchException(
        "no index yet: " + store.describe() + " has no " + CURRENT + " (run the index command)");
  }
}
