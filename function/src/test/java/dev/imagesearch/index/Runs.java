package dev.imagesearch.index;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Test helper: configures the index command the way its options would, and runs it in-process. */
final class Runs {
  private Runs() {}

  /** Options a test sets; the rest take the command's defaults. */
  static IndexCommand command(String images, String index) {
    IndexCommand command = new IndexCommand();
    command.images = images;
    command.index = index;
    command.model = TestModel.dir();
    command.batch = 4;
    command.threads = 2;
    command.thumbs = true;
    command.maxMegapixels = 100;
    return command;
  }

  static IndexCommand command(Path images, Path store) {
    return command(images.toString(), store.toString());
  }

  /** The summary of one run, its log in {@code log} (may be null). */
  static IndexSummary run(IndexCommand command, StringBuilder log) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try {
      return command.configure().run();
    } finally {
      if (log != null) {
        log.append(bytes.toString(StandardCharsets.UTF_8));
      }
    }
  }

  static IndexSummary run(Path images, Path store) {
    return run(command(images, store), null);
  }

  static IndexCommand withEnv(IndexCommand command, Map<String, String> env) {
    command.env = env;
    return command;
  }
}
