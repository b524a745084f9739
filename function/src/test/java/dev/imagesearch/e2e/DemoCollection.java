package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imagesearch.Main;
import dev.imagesearch.synth.GalleryWriter;
import dev.imagesearch.synth.Scene;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo collection the end-to-end tests search: synthetic captioned scenes (the same generator
 * as {@code make run}), indexed once per test JVM with the tiny model by the real {@code index}
 * command into a local store.
 */
final class DemoCollection {
  static final Path ROOT = Path.of(System.getProperty("project.root", "."));
  static final Path TINY_MODEL = ROOT.resolve("function/src/test/resources/tiny-clip");
  static final long SEED = 7;
  static final int COUNT = 300;

  /** The example queries the first page offers (as {@code make run} sets them). */
  static final String EXAMPLES = "three red circles|a large yellow star|red circles - small";

  private static Built built;

  /** The gallery, the store it was indexed into, and each key's scene. */
  record Built(Path gallery, Path store, Map<String, Scene> sceneByKey) {
    Scene scene(String key) {
      return sceneByKey.get(key);
    }

    /** The environment {@code Bootstrap.webApp} reads, for this collection. */
    Map<String, String> env() {
      return Map.of(
          "IMAGE_SEARCH_MODEL",
          TINY_MODEL.toString(),
          "IMAGE_SEARCH_STORE",
          store.toString(),
          "IMAGE_SEARCH_INDEX_POLL",
          "0",
          "IMAGE_SEARCH_URL_KEY",
          "an-hmac-key-for-tests-only-0123456789",
          "IMAGE_SEARCH_EXAMPLES",
          EXAMPLES);
    }
  }

  private DemoCollection() {}

  static synchronized Built local() {
    if (built == null) {
      try {
        Path dir = Files.createTempDirectory("image-search-e2e");
        Path gallery = dir.resolve("gallery");
        Path store = dir.resolve("store");
        List<Scene> scenes = new GalleryWriter().write(SEED, COUNT, gallery, "jpg");
        int exit =
            Main.run(
                "index",
                "--images",
                gallery.toString(),
                "--index",
                store.toString(),
                "--model",
                TINY_MODEL.toString(),
                "--work",
                dir.resolve("work").toString());
        assertEquals(0, exit, "the index command failed");
        Map<String, Scene> byKey = new HashMap<>();
        try (var files = Files.list(gallery)) {
          List<Path> images = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
          for (int i = 0; i < images.size(); i++) {
            byKey.put(images.get(i).getFileName().toString(), scenes.get(i));
          }
        }
        built = new Built(gallery, store, byKey);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return built;
  }

  /** Copies a folder tree (a test's own copy of the store or the model, to damage). */
  static void copy(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
