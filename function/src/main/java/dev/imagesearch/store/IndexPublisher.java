package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.Sha256;
import dev.imagesearch.search.IndexManifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Publishes an index version from a local staging folder ({@code embeddings.npy}, {@code
 * metadata.jsonl}, {@code manifest.json}, maybe {@code skipped.jsonl}) to a store, so that readers
 * never see half an index: all files of {@code index/<version>/} first, the manifest (with the
 * version name and every file's sha256) last among them, then {@code index/CURRENT}. Only after
 * {@code CURRENT} moved are old versions pruned, keeping the newest {@code keepVersions} and never
 * the live one.
 *
 * <p>Version names sort by time: {@code 20261130T031500Z-1a2b3c4d} (UTC second, then the first 8
 * hex digits of a hash of the content).
 *
 * <pre>{@code
 * String version = new IndexPublisher(store, 3).publish(Path.of("work-data/staging"));
 * }</pre>
 */
public final class IndexPublisher {
  private static final System.Logger LOG = System.getLogger(IndexPublisher.class.getName());
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern GENERATED = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");

  private final BlobStore store;
  private final int keepVersions;
  private final Clock clock;

  public IndexPublisher(BlobStore store, int keepVersions) {
    this(store, keepVersions, Clock.systemUTC());
  }

  public IndexPublisher(BlobStore store, int keepVersions, Clock clock) {
    if (keepVersions < 1) {
      throw new ImageSearchException("keep at least 1 index version, not " + keepVersions);
    }
    this.store = store;
    this.keepVersions = keepVersions;
    this.clock = clock;
  }

  /** Name of a version made at {@code when} from content whose hash is {@code contentHash}. */
  public static String versionName(Instant when, String contentHash) {
    return STAMP.format(when) + "-" + contentHash.substring(0, 8);
  }

  /** Uploads the staging folder as a new version, moves CURRENT to it, prunes; returns its name. */
  public String publish(Path staging) {
    Path manifestFile = staging.resolve(IndexFiles.MANIFEST);
    IndexManifest draft;
    try {
      draft = ManifestJson.readDraft(Files.readAllBytes(manifestFile), manifestFile.toString());
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    Map<String, String> hashes = new HashMap<>();
    for (Path file : stagedFiles(staging)) {
      String name = file.getFileName().toString();
      String hash = Sha256.hex(file);
      String listed = draft.fileSha256().get(name);
      if (listed != null && !listed.equals(hash)) {
        throw new ImageSearchException(
            file + " changed after " + manifestFile + " was written (sha256 differs)");
      }
      hashes.put(name, hash);
    }
    for (String required : List.of(IndexFiles.EMBEDDINGS, IndexFiles.METADATA)) {
      if (!hashes.containsKey(required)) {
        throw new ImageSearchException(staging + " has no " + required);
      }
    }
    checkShape(staging, draft);

    String version =
        versionName(
            clock.instant(),
            // The calibration counts as content: republishing the same images with it (the
            // calibrate command) within the same second must not reuse the version's name.
            Sha256.hex(
                (hashes.get(IndexFiles.EMBEDDINGS)
                        + hashes.get(IndexFiles.METADATA)
                        + hashes.getOrDefault(IndexFiles.CALIBRATION, ""))
                    .getBytes(StandardCharsets.UTF_8)));
    IndexManifest manifest =
        new IndexManifest(
            version,
            draft.modelId(),
            draft.dim(),
            draft.count(),
            draft.dtype(),
            draft.createdAt(),
            Map.copyOf(hashes));
    for (String name : new TreeSet<>(hashes.keySet())) {
      store.write(IndexFiles.key(version, name), staging.resolve(name));
    }
    store.write(IndexFiles.key(version, IndexFiles.MANIFEST), ManifestJson.write(manifest));
    store.write(IndexFiles.CURRENT, (version + "\n").getBytes(StandardCharsets.UTF_8));
    LOG.log(
        System.Logger.Level.INFO,
        "published index {0} ({1} images) to {2}",
        version,
        manifest.count(),
        store.describe());
    prune(version);
    return version;
  }

  /** Version folders present in the store, oldest first. */
  public List<String> versions() {
    TreeSet<String> versions = new TreeSet<>();
    for (String key : store.list("index/")) {
      String[] parts = key.split("/");
      if (parts.length == 3) {
        versions.add(parts[1]);
      }
    }
    return new ArrayList<>(versions);
  }

  /**
   * Deletes generated versions beyond the newest {@code keepVersions}; never {@code live} nor the
   * version CURRENT names now (another publisher may have moved it).
   */
  public void prune(String live) {
    String current = new IndexLoader(store).currentVersion().orElse(live);
    List<String> generated =
        versions().stream().filter(v -> GENERATED.matcher(v).matches()).sorted().toList();
    int excess = generated.size() - keepVersions;
    for (int i = 0; i < excess; i++) {
      String old = generated.get(i);
      if (old.equals(live) || old.equals(current)) {
        continue;
      }
      for (String key : store.list("index/" + old + "/")) {
        store.delete(key);
      }
      LOG.log(System.Logger.Level.INFO, "pruned index {0} from {1}", old, store.describe());
    }
  }

  private static List<Path> stagedFiles(Path staging) {
    try (Stream<Path> files = Files.list(staging)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().equals(IndexFiles.MANIFEST))
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ImageSearchException("cannot list " + staging + ": " + e.getMessage(), e);
    }
  }

  /** Refuses to publish a staging folder whose files disagree with its manifest. */
  private static void checkShape(Path staging, IndexManifest draft) {
    Path npy = staging.resolve(IndexFiles.EMBEDDINGS);
    try (InputStream in = Files.newInputStream(npy)) {
      Npy.Header header = Npy.readHeader(in, npy.toString());
      long headerSize = Files.size(npy) - header.dataBytes();
      if (header.rows() != draft.count()
          || header.dim() != draft.dim()
          || !header.dtype().label().equals(draft.dtype())
          || headerSize <= 0
          || headerSize > 1 << 20) {
        throw new ImageSearchException(
            npy
                + " holds "
                + header.shape()
                + " ("
                + Files.size(npy)
                + " bytes) but the manifest announces "
                + draft.count()
                + " x "
                + draft.dim()
                + " "
                + draft.dtype());
      }
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + npy + ": " + e.getMessage(), e);
    }
    Path metadata = staging.resolve(IndexFiles.METADATA);
    long lines;
    try (BufferedReader reader = Files.newBufferedReader(metadata)) {
      lines = reader.lines().count();
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + metadata + ": " + e.getMessage(), e);
    }
    if (lines != draft.count()) {
      throw new ImageSearchException(
          metadata + " has " + lines + " lines but the manifest announces " + draft.count());
    }
  }
}
