package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading rules of the tokenizer wrapper (the id parity lives in TinyClipParityTest). */
class ClipTokenizerTest {
  @Test
  void nativeLibraryGoesUnderTmpOnlyWhenHomeIsReadOnlyAndNothingIsConfigured() {
    // Lambda: home is read-only, nothing set -> /tmp/djl-cache.
    assertEquals(
        Optional.of(Path.of("/tmp/djl-cache")),
        ClipTokenizer.nativeCacheDir(null, null, false, "/tmp"));
    // A writable home keeps DJL's default (~/.djl.ai); an operator's choice always wins.
    assertEquals(Optional.empty(), ClipTokenizer.nativeCacheDir(null, null, true, "/tmp"));
    assertEquals(Optional.empty(), ClipTokenizer.nativeCacheDir("/x", null, false, "/tmp"));
    assertEquals(Optional.empty(), ClipTokenizer.nativeCacheDir(null, "/y", false, "/tmp"));
  }

  @Test
  void missingTokenizerFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("tokenizer.json");
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> ClipTokenizer.load(missing));
    assertEquals("tokenizer file missing: " + missing, e.getMessage());
  }

  @Test
  void brokenTokenizerFileIsReportedWithItsPath(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("tokenizer.json");
    Files.writeString(broken, "{\"not\": \"a tokenizer\"}");
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> ClipTokenizer.load(broken));
    assertTrue(e.getMessage().startsWith("cannot load tokenizer " + broken + ": "), e.getMessage());
  }

  @Test
  void tinyTokenizerKeepsEndOfTextLastWhenTruncating() {
    try (ClipTokenizer tokenizer =
        ClipTokenizer.load(TinyClip.modelDir().resolve("tokenizer.json"))) {
      long[] ids = tokenizer.encode("red circle ".repeat(100));
      assertEquals(77, ids.length);
      assertEquals(tokenizer.startOfTextId(), ids[0]);
      assertEquals(tokenizer.endOfTextId(), ids[76]);
      assertEquals(2, tokenizer.encode("").length);
    }
  }
}
