package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, exit codes, one-line errors. */
class IndexCommandTest {
  @TempDir Path tmp;

  /** Exit code, stdout and stderr of {@code image-search <args>}. */
  private record Outcome(int exit, String out, String err) {}

  private static Outcome run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(args);
      return new Outcome(
          exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void helpListsOptionsAndExitCodes() {
    Outcome help = run("index", "--help");
    assertEquals(0, help.exit());
    for (String text :
        List.of(
            "--images",
            "--index",
            "--model",
            "--batch",
            "--threads",
            "--[no-]thumbs",
            "--dry-run",
            "--keep-versions",
            "--work",
            "Exit codes:",
            "every file was skipped")) {
      assertTrue(help.out().contains(text), text + " missing from:\n" + help.out());
    }
  }

  @Test
  void badOptionValuesGetOneLineAndExitCodeTwo() {
    Outcome unknown = run("index", "--bogus");
    assertEquals(2, unknown.exit());
    assertEquals(
        "error: Unknown option: '--bogus'\ntry: image-search index --help\n", unknown.err());

    Outcome batch = run("index", "--batch", "0", "--model", tmp.toString());
    assertEquals(2, batch.exit());
    assertEquals("error: --batch must be between 1 and 1024, got 0\n", batch.err());

    Outcome notANumber = run("index", "--threads", "two");
    assertEquals(2, notANumber.exit());
    assertTrue(notANumber.err().startsWith("error: Invalid value for option '--threads'"));

    Outcome noModel =
        run(
            "index",
            "--index",
            tmp.resolve("store").toString(),
            "--model",
            tmp.resolve("none").toString());
    assertEquals(2, noModel.exit());
    assertEquals(
        "error: model directory not found: " + tmp.resolve("none").toAbsolutePath() + "\n",
        noModel.err());
  }

  @Test
  void missingImagesFolderIsAConfigurationError() {
    Path model = TestModel.dir();
    Outcome missing =
        run(
            "index",
            "--images",
            tmp.resolve("nowhere").toString(),
            "--index",
            tmp.resolve("store").toString(),
            "--model",
            model.toString());
    assertEquals(2, missing.exit());
    assertEquals("error: --images " + tmp.resolve("nowhere") + " is not a folder\n", missing.err());
  }

  @Test
  void aFolderOfOnlyBadFilesExitsWithOneAndKeepsTheLiveIndex() throws Exception {
    Path model = TestModel.dir();
    Path images = tmp.resolve("bad");
    IndexerTest.write(images, "empty.jpg", new byte[0]);
    IndexerTest.write(images, "bomb.png", TestImages.pngHeaderOnly(30_000, 30_000));
    Outcome outcome =
        run(
            "index",
            "--images",
            images.toString(),
            "--index",
            tmp.resolve("store").toString(),
            "--model",
            model.toString());
    assertEquals(1, outcome.exit(), outcome.out() + outcome.err());
    assertTrue(outcome.out().contains("skipped empty.jpg: empty file (0 bytes)"), outcome.out());
    assertTrue(
        outcome.out().contains("nothing could be indexed: every file was skipped"), outcome.out());
    assertTrue(Files.notExists(tmp.resolve("store/index/CURRENT")));
  }

  @Test
  void aFolderWithoutImagesIsAConfigurationError() throws Exception {
    Path model = TestModel.dir();
    Files.createDirectories(tmp.resolve("empty"));
    Outcome outcome =
        run(
            "index",
            "--images",
            tmp.resolve("empty").toString(),
            "--index",
            tmp.resolve("store").toString(),
            "--model",
            model.toString());
    assertEquals(2, outcome.exit());
    assertEquals(
        "error: no images (bmp, gif, jfif, jpe, jpeg, jpg, png, webp) in "
            + tmp.resolve("empty").toAbsolutePath()
            + "\n",
        outcome.err());
  }

  @Test
  void aMalformedEnvFileStopsWithItsLineNumber(@TempDir Path tmp) throws Exception {
    IndexCommand command = Runs.command(tmp.resolve("images"), tmp.resolve("store"));
    command.envFile = java.nio.file.Files.writeString(tmp.resolve(".env"), "BUCKET_NAME photos\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    command.err = new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);

    assertEquals(2, command.call());
    assertEquals(
        "error: "
            + command.envFile
            + " line 1 is not NAME=value (fix it, or comment it out with #)\n",
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }
}
