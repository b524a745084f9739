package dev.imagesearch.clip;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * ONNX Runtime's native libraries, copied once out of the jar into a cache folder and loaded from
 * there ({@code onnxruntime.native.path}), instead of inflated from the jar into the temp folder at
 * every start: 28 MB for Linux x64, 300-900 ms of a start at load 5 here against 100-220 ms from a
 * copy (docs/benchmarks.md, "Start-up and memory").
 *
 * <p>The copies live in a folder named after the jar entries' CRC-32s, which the jar's directory
 * holds (read without inflating anything): another ONNX Runtime gets another folder. Each start
 * checks the copies against those CRC-32s and copies again what differs. Linux only (x64, aarch64);
 * elsewhere, or when the folder cannot be written, ONNX Runtime loads as it always did.
 *
 * <pre>{@code
 * OnnxNatives.useCacheIn(Path.of("/var/cache/image-search/models/onnxruntime-native"));
 * }</pre>
 */
public final class OnnxNatives {
  private static final System.Logger LOG = System.getLogger(OnnxNatives.class.getName());

  /** The system property ONNX Runtime's Java binding loads its libraries from. */
  static final String PROPERTY = "onnxruntime.native.path";

  private static final List<String> LIBRARIES =
      List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

  private OnnxNatives() {}

  /**
   * Sets {@value #PROPERTY} to the copies in {@code cache} unless it is set already. Process-wide:
   * call once, before the first session.
   */
  public static synchronized void useCacheIn(Path cache) {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    extract(cache, platformFolder()).ifPresent(dir -> System.setProperty(PROPERTY, dir.toString()));
  }

  /**
   * The folder in {@code cache} holding intact copies of the libraries under resource folder {@code
   * resources} (e.g. {@code ai/onnxruntime/native/linux-x64/}), copied when missing or different;
   * empty when they cannot be had.
   */
  static Optional<Path> extract(Path cache, Optional<String> resources) {
    if (resources.isEmpty()) {
      return Optional.empty();
    }
    try {
      List<JarEntry> entries = new ArrayList<>();
      StringBuilder key = new StringBuilder();
      for (String library : LIBRARIES) {
        JarEntry entry = jarEntry(resources.get() + library);
        if (entry == null) {
          return Optional.empty();
        }
        entries.add(entry);
        key.append('-').append(Long.toHexString(entry.getCrc()));
      }
      Path dir = cache.resolve("onnxruntime" + key);
      Files.createDirectories(dir);
      for (int i = 0; i < LIBRARIES.size(); i++) {
        Path file = dir.resolve(LIBRARIES.get(i));
        if (!Files.isRegularFile(file) || crc32(file) != entries.get(i).getCrc()) {
          copy(resources.get() + LIBRARIES.get(i), file, entries.get(i).getCrc());
        }
      }
      return Optional.of(dir);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "ONNX Runtime loads from the jar: cannot use " + cache + ": " + e);
      return Optional.empty();
    }
  }

  /** {@code ai/onnxruntime/native/<os>-<arch>/} for this JVM, or empty where not Linux. */
  static Optional<String> platformFolder() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    String folder =
        switch (arch) {
          case "amd64", "x86_64" -> "linux-x64";
          case "aarch64" -> "linux-aarch64";
          default -> null;
        };
    return os.contains("linux") && folder != null
        ? Optional.of("ai/onnxruntime/native/" + folder + "/")
        : Optional.empty();
  }

  /** The jar entry of a class-path resource (its CRC-32 and size, nothing inflated), or null. */
  private static JarEntry jarEntry(String resource) throws IOException {
    URL url = OnnxNatives.class.getClassLoader().getResource(resource);
    if (url == null || !"jar".equals(url.getProtocol())) {
      return null;
    }
    JarURLConnection connection = (JarURLConnection) url.openConnection();
    connection.setUseCaches(false);
    try {
      return connection.getJarEntry();
    } finally {
      connection.getJarFile().close();
    }
  }

  /** Copies through a temp file and an atomic rename, so a reader never sees half a library. */
  private static void copy(String resource, Path file, long expectedCrc) throws IOException {
    Path partial =
        Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
    try {
      try (InputStream in = OnnxNatives.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("no resource " + resource);
        }
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      if (crc32(partial) != expectedCrc) {
        throw new IOException("the copy of " + resource + " does not match the jar's CRC-32");
      }
      Files.move(
          partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  static long crc32(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }
}
