package dev.imagesearch.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers each original's sha256 under its change tag (size, mtime and inode locally; the ETag on
 * S3), so a re-run over an unchanged collection hashes nothing and reads no image bytes: it lists,
 * compares tags and reuses rows. A changed tag means "read and hash again", never "changed": the
 * content hash alone decides whether an image is embedded again.
 *
 * <p>Stored in the work folder as {@code hashes.jsonl} ({@code {"key","tag","sha256"}} per line),
 * replaced atomically at the end of a successful run. A missing or damaged file only costs time.
 *
 * <pre>{@code
 * HashCache cache = HashCache.read(workDir.resolve("hashes.jsonl"));
 * Optional<String> sha = cache.lookup("cat.jpg", tag);
 * }</pre>
 */
final class HashCache {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Entry(String tag, String sha256) {}

  private final Path file;
  private final Map<String, Entry> known;
  private final Map<String, Entry> seen = new ConcurrentHashMap<>();

  private HashCache(Path file, Map<String, Entry> known) {
    this.file = file;
    this.known = known;
  }

  static HashCache read(Path file) {
    Map<String, Entry> known = new ConcurrentHashMap<>();
    if (Files.isRegularFile(file)) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line; (line = reader.readLine()) != null; ) {
          try {
            JsonNode node = JSON.readTree(line);
            known.put(
                node.get("key").asText(),
                new Entry(node.get("tag").asText(), node.get("sha256").asText()));
          } catch (IOException | RuntimeException e) {
            // A damaged line only means that file is hashed again.
          }
        }
      } catch (IOException e) {
        known.clear();
      }
    }
    return new HashCache(file, known);
  }

  /** The sha256 recorded for {@code key} when its tag is still {@code tag}. */
  Optional<String> lookup(String key, Optional<String> tag) {
    Entry entry = known.get(key);
    if (entry == null || tag.isEmpty() || !entry.tag().equals(tag.get())) {
      return Optional.empty();
    }
    return Optional.of(entry.sha256());
  }

  /** Records what this run found; only these entries are written back. */
  void remember(String key, Optional<String> tag, String sha256) {
    tag.ifPresent(t -> seen.put(key, new Entry(t, sha256)));
  }

  /** Replaces the file with this run's entries (keys no longer listed are forgotten). */
  void save() {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (Map.Entry<String, Entry> e : new TreeMap<>(seen).entrySet()) {
          ObjectNode node = JSON.createObjectNode();
          node.put("key", e.getKey())
              .put("tag", e.getValue().tag())
              .put("sha256", e.getValue().sha256());
          writer.write(node.toString());
          writer.write('\n');
        }
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ImageSearchException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
