package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.imagesearch.store.Npy;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL the indexer (a separate JVM) after its first checkpointed batches, run it again: it
 * embeds only what was not done, and publishes the same index as an uninterrupted run.
 */
class IndexerKillTest {
  private static final int IMAGES = 12;

  @TempDir Path tmp;

  @Test
  void aKilledRunResumesWithoutReEmbeddingAndEndsWithTheSameIndex() throws Exception {
    Path model = TestModel.dir();
    Path images = tmp.resolve("photos");
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.CYAN, Color.MAGENTA};
    for (int i = 0; i < IMAGES; i++) {
      byte[] bytes =
          i % 2 == 0
              ? TestImages.encode(TestImages.halves(64, 48, colours[i / 2], Color.WHITE), "png")
              : TestImages.encode(TestImages.noise(48, 48, i), "jpeg");
      IndexerTest.write(images, String.format("img-%02d.%s", i, i % 2 == 0 ? "png" : "jpg"), bytes);
    }
    Path store = tmp.resolve("store");
    Path checkpoint = store.resolve(".index-work/checkpoint.jsonl");

    // Batches of 2, each followed by a pause (test hook), so the run is still going when killed.
    Process process =
        startIndexer(images, store, model, List.of("--batch", "2", "--threads", "1"), 400);
    int rowsAtKill = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (rowsAtKill < 4) {
      if (!process.isAlive()) {
        fail(
            "the indexer ended (exit "
                + process.exitValue()
                + ") before it could be killed: "
                + log());
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        fail("no checkpointed batch within 180 s: " + log());
      }
      Thread.sleep(20);
      rowsAtKill = checkpointRows(checkpoint);
    }
    process.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
    process.waitFor(60, TimeUnit.SECONDS);
    int checkpointed = checkpointRows(checkpoint);
    assertTrue(checkpointed >= 4 && checkpointed < IMAGES, "rows checkpointed: " + checkpointed);
    assertFalse(Files.exists(store.resolve("index/CURRENT")), "nothing was published");

    IndexCommand resume = Runs.command(images, store);
    resume.batch = 2;
    IndexSummary resumed = Runs.run(resume, null);
    assertEquals(checkpointed, resumed.resumed(), "every checkpointed row is reused");
    assertEquals(IMAGES - checkpointed, resumed.embedded(), "only the rest is embedded");
    assertEquals(IMAGES, resumed.indexed());

    Path clean = tmp.resolve("clean-store");
    IndexSummary uninterrupted = Runs.run(images, clean);
    assertEquals(IMAGES, uninterrupted.embedded());

    assertEquals(
        Files.readAllLines(IndexerTest.currentFile(clean, "metadata.jsonl")),
        Files.readAllLines(IndexerTest.currentFile(store, "metadata.jsonl")),
        "same keys, hashes and sizes in the same order");
    List<float[]> expected = rows(IndexerTest.currentFile(clean, "embeddings.npy"));
    List<float[]> actual = rows(IndexerTest.currentFile(store, "embeddings.npy"));
    assertEquals(expected.size(), actual.size());
    for (int r = 0; r < expected.size(); r++) {
      for (int j = 0; j < expected.get(r).length; j++) {
        // Batches differ between the runs; float16 keeps ~3 decimal digits of a unit vector.
        assertEquals(expected.get(r)[j], actual.get(r)[j], 1e-3, "row " + r + " value " + j);
      }
    }
  }

  private Process startIndexer(
      Path images, Path store, Path model, List<String> options, int pauseMs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("dev.imagesearch.Main");
    command.addAll(List.of("index", "--images", images.toString(), "--index", store.toString()));
    command.addAll(List.of("--model", model.toString()));
    command.addAll(options);
    command.add("--pause-after-batch-ms=" + pauseMs);
    ProcessBuilder builder = new ProcessBuilder(command);
    // The class path goes in CLASSPATH, not -cp: ONNX Runtime 1.29 crashes (SIGSEGV) when the
    // JVM's command line is longer than about 4 KB.
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder.redirectErrorStream(true);
    builder.redirectOutput(tmp.resolve("indexer.log").toFile());
    return builder.start();
  }

  private String log() throws IOException {
    return Files.readString(tmp.resolve("indexer.log"));
  }

  /** Complete rows in the checkpoint (lines after the header). */
  private static int checkpointRows(Path checkpoint) throws IOException {
    if (!Files.exists(checkpoint)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(checkpoint);
    int lines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        lines++;
      }
    }
    return Math.max(0, lines - 1);
  }

  private static List<float[]> rows(Path npy) throws IOException {
    List<float[]> rows = new ArrayList<>();
    try (InputStream in = Files.newInputStream(npy)) {
      Npy.Header header = Npy.readHeader(in, npy.toString());
      Npy.readRows(in, header, npy.toString(), row -> rows.add(row.clone()));
    }
    return rows;
  }
}
