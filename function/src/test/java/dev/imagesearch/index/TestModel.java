package dev.imagesearch.index;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model indexer tests run: the project's tiny CLIP model in {@code
 * function/src/test/resources/tiny-clip}, or the folder named by the system property {@code
 * image-search.test.model}.
 */
final class TestModel {
  private TestModel() {}

  static Path root() {
    return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
  }

  /** The model folder; the test is skipped (with the reason) when it is absent. */
  static Path dir() {
    String override = System.getProperty("image-search.test.model");
    Path dir =
        override != null
            ? Path.of(override)
            : root().resolve("function/src/test/resources/tiny-clip");
    assumeTrue(
        Files.isRegularFile(dir.resolve("config.json")),
        "no test model at " + dir + " (the tiny CLIP model is not in this checkout)");
    return dir;
  }
}
