package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large index loads in a separate JVM under the EC2 unit's flags scaled down with it: the unit
 * gives 1,000,000 × 512 rows (488 MiB of INT8 codes) {@code -Xmx128m -XX:MaxDirectMemorySize=512m}
 * and exits on heap exhaustion; here 250,000 × 32 rows (15 MiB of INT16 codes) get half of that
 * heap, 64 MB, and 24 MB of direct memory. The per-image records alone took ~230 bytes per image
 * before they were made compact (57 MB here), which ran this heap out. With too little direct
 * memory the load is refused and the reason is the watcher's status (what {@code /readyz} shows),
 * while the process lives on.
 */
class LoadUnderLimitsTest {
  private static final String MODEL = "large-test-model";
  private static final int ROWS = 250_000;
  private static final int DIM = 32;

  @TempDir static Path dir;
  private static String version;

  @BeforeAll
  static void publishLargeIndex() {
    LocalBlobStore store = store();
    Path staging =
        StagedIndex.write(dir.resolve("staging"), MODEL, ROWS, DIM, Npy.DType.FLOAT16, 5);
    version = new IndexPublisher(store, 2).publish(staging);
  }

  @Test
  void loadsUnderTheUnitsFlagsScaledToTheIndex() throws Exception {
    String out = child("-Xmx64m", "-XX:MaxDirectMemorySize=24m");

    assertEquals("live=" + version + " rows=" + ROWS + " error=null", out);
  }

  @Test
  void tooLittleDirectMemoryIsReportedNotFatal() throws Exception {
    String out = child("-Xmx64m", "-XX:MaxDirectMemorySize=8m");

    assertTrue(out.startsWith("live=null rows=0 error="), out);
    assertTrue(out.contains("cannot reserve 15 MB of direct memory for the embedding matrix"), out);
    assertTrue(out.contains("-XX:MaxDirectMemorySize"), out);
    assertTrue(out.endsWith("; no index is served"), out);
  }

  private static LocalBlobStore store() {
    return new LocalBlobStore(dir.resolve("store"), UrlSigner.withRandomKey("/files"));
  }

  /** Runs {@link Child} with the unit's other flags plus {@code limits}; returns its last line. */
  private static String child(String... limits) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-Xss512k", "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(List.of(limits));
    command.addAll(List.of(Child.class.getName(), dir.resolve("store").toString(), MODEL));
    command.add(Integer.toString(DIM));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), "child JVM failed:\n" + out);
    return out.lines().reduce((a, b) -> b).orElse("");
  }

  /** The serving side's load, alone: one watcher poll, then what {@code /readyz} would say. */
  public static final class Child {
    public static void main(String[] args) {
      LocalBlobStore store = new LocalBlobStore(Path.of(args[0]), UrlSigner.withRandomKey("/f"));
      IndexWatcher watcher =
          new IndexWatcher(
              new IndexLoader(store), args[1], Integer.parseInt(args[2]), Duration.ZERO);
      watcher.poll();
      IndexWatcher.Status status = watcher.status();
      int rows = watcher.current().map(LoadedIndex::size).orElse(0);
      System.out.println(
          "live=" + status.liveVersion() + " rows=" + rows + " error=" + status.lastError());
    }
  }
}
