package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * ONNX Runtime's optimised graph of a model, saved on the first start and loaded with graph
 * optimisation off on every later one: the optimiser is most of a session's creation time (for the
 * full-size int8 text tower about 0.4-0.9 s of 0.6-1.3 s here; docs/benchmarks.md, "Start-up and
 * memory").
 *
 * <p><b>Never the wrong graph.</b> A saved graph at full optimisation may use kernels of the CPU it
 * was made on, and belongs to one model file and one runtime. Its file name therefore carries a key
 * over the model's bytes (size and CRC32C), the ONNX Runtime version and the CPU (architecture,
 * model name and feature flags from {@code /proc/cpuinfo}): a new model, runtime or instance type
 * gets a new file, and older graphs of the same model file are deleted. A sidecar records the
 * graph's own size and CRC32C, written last: a graph without it (a crash while saving), with a
 * different checksum (a damaged or foreign file) or that ONNX Runtime refuses is deleted and made
 * again from the model. A cache folder that cannot be written only costs the saving: the model is
 * then loaded as before.
 *
 * <pre>{@code
 * OptimizedModelCache cache = OptimizedModelCache.in(Path.of("/var/cache/image-search/models/onnx-optimized"));
 * try (OnnxSession session = cache.open(Path.of("model/onnx/text_model_quantized.onnx"), 2, false)) {
 *   ...
 * }
 * }</pre>
 */
public final class OptimizedModelCache {
  private static final System.Logger LOG = System.getLogger(OptimizedModelCache.class.getName());
  private static final String SIDECAR = ".crc32c";

  /** Bumped when the layout of the cache changes, so no older layout is ever read. */
  private static final String LAYOUT = "onnx-optimized-v1";

  private final Path dir;
  private final String environment;

  /**
   * @param environment what besides the model's bytes decides the graph: runtime version and CPU
   */
  OptimizedModelCache(Path dir, String environment) {
    this.dir = dir;
    this.environment = environment;
  }

  /** A cache in {@code dir} for this process's ONNX Runtime and CPU. */
  public static OptimizedModelCache in(Path dir) {
    return new OptimizedModelCache(
        dir, "onnxruntime " + OnnxSession.runtimeVersion() + "\n" + cpuIdentity());
  }

  /**
   * Opens {@code model} from its saved optimised graph, or loads and optimises it and saves the
   * graph for the next start.
   */
  public OnnxSession open(Path model, int intraOpThreads, boolean spinning) {
    Path graph;
    try {
      graph = graphFor(model);
    } catch (UncheckedIOException e) {
      return OnnxSession.open(model, intraOpThreads, spinning); // says what is wrong with it
    }
    if (isIntact(graph)) {
      try {
        return OnnxSession.openOptimized(graph, model, intraOpThreads, spinning);
      } catch (ImageSearchException e) {
        LOG.log(Level.WARNING, "ignoring the saved graph " + graph + ": " + e.getMessage());
      }
    }
    deleteQuietly(graph);
    return optimizeAndSave(model, graph, intraOpThreads, spinning);
  }

  /**
   * The file the optimised graph of {@code model} is kept in: the model's file name, then the key.
   */
  Path graphFor(Path model) {
    MessageDigest sha = sha256();
    sha.update((LAYOUT + "\n" + environment + "\n").getBytes(StandardCharsets.UTF_8));
    sha.update(checksum(model).getBytes(StandardCharsets.UTF_8));
    String key = HexFormat.of().formatHex(sha.digest(), 0, 10);
    return dir.resolve(baseName(model) + "-" + key + ".ort");
  }

  private OnnxSession optimizeAndSave(
      Path model, Path graph, int intraOpThreads, boolean spinning) {
    Path partial;
    try {
      Files.createDirectories(dir);
      partial = Files.createTempFile(dir, graph.getFileName().toString(), ".partial.ort");
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot save optimised graphs in " + dir + ": " + e.getMessage());
      return OnnxSession.open(model, intraOpThreads, spinning);
    }
    Path sidecar = sidecarOf(partial);
    try {
      OnnxSession session = OnnxSession.openSaving(model, intraOpThreads, spinning, partial);
      try {
        Files.writeString(sidecar, checksum(partial));
        move(partial, graph);
        move(sidecar, sidecarOf(graph)); // last: a graph without its sidecar is never used
        deleteOlderGraphs(model, graph);
      } catch (IOException | UncheckedIOException e) {
        LOG.log(Level.WARNING, "cannot save the optimised graph " + graph + ": " + e.getMessage());
      }
      return session;
    } finally {
      deleteQuietly(partial);
    }
  }

  /** Whether {@code graph} and its sidecar exist and the sidecar's checksum is the graph's. */
  private boolean isIntact(Path graph) {
    Path sidecar = sidecarOf(graph);
    if (!Files.isRegularFile(graph) || !Files.isRegularFile(sidecar)) {
      return false;
    }
    try {
      boolean intact = Files.readString(sidecar).equals(checksum(graph));
      if (!intact) {
        LOG.log(Level.WARNING, "the saved graph " + graph + " is damaged; optimising again");
      }
      return intact;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** Graphs of the same model file made for an earlier model, runtime or CPU. */
  private void deleteOlderGraphs(Path model, Path keep) throws IOException {
    String prefix = baseName(model) + "-";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*.ort")) {
      for (Path file : files) {
        String rest = file.getFileName().toString().substring(prefix.length());
        if (!file.equals(keep) && rest.matches("[0-9a-f]{20}\\.ort")) {
          deleteQuietly(file);
        }
      }
    }
  }

  /** {@code size:crc32c} of a file's bytes. */
  static String checksum(Path file) {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file)) {
      long size = 0;
      for (int n; (n = channel.read(buffer.clear())) >= 0; ) {
        size += n;
        crc.update(buffer.flip());
      }
      return size + ":" + Long.toHexString(crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Architecture, CPU model and feature flags: what decides which kernels an optimised graph may
   * use. The first processor's lines of {@code /proc/cpuinfo}; only the architecture elsewhere.
   */
  static String cpuIdentity() {
    StringBuilder id = new StringBuilder(System.getProperty("os.arch"));
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.isBlank()) {
          break;
        }
        String name = line.split(":", 2)[0].trim();
        if (List.of("vendor_id", "model name", "flags", "CPU implementer", "CPU part", "Features")
            .contains(name)) {
          id.append('\n').append(line.trim());
        }
      }
    } catch (IOException e) {
      // Not Linux: the architecture alone.
    }
    return id.toString();
  }

  private static String baseName(Path model) {
    String name = model.getFileName().toString();
    return name.endsWith(".onnx") ? name.substring(0, name.length() - ".onnx".length()) : name;
  }

  private static Path sidecarOf(Path graph) {
    return graph.resolveSibling(graph.getFileName() + SIDECAR);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path graph) {
    try {
      Files.deleteIfExists(graph);
      Files.deleteIfExists(sidecarOf(graph));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete " + graph + ": " + e.getMessage());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
