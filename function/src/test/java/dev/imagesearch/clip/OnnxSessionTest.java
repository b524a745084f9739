package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxSessionTest {
  @Test
  void commandLinesThatCrashOnnxRuntimeAreRefusedWithAnExplanation() {
    assertDoesNotThrow(() -> OnnxSession.checkCommandLineLength(-1));
    assertDoesNotThrow(() -> OnnxSession.checkCommandLineLength(3980));
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> OnnxSession.checkCommandLineLength(3981));
    assertTrue(
        e.getMessage()
            .startsWith(
                "the java command line is 3981 bytes long; ONNX Runtime 1.29 crashes the JVM"),
        e.getMessage());
    assertTrue(e.getMessage().contains("-Djmh.separateClasspathJAR=true"), e.getMessage());
  }

  @Test
  void aFileThatIsNotAModelIsReportedWithItsPath(@TempDir Path dir) throws IOException {
    Path bogus = dir.resolve("text_model.onnx");
    Files.writeString(bogus, "not a protobuf");
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> OnnxSession.open(bogus, 1));
    assertTrue(e.getMessage().startsWith("cannot load ONNX model " + bogus + ": "), e.getMessage());
  }

  @Test
  void missingModelFileIsReportedWithItsPath(@TempDir Path dir) {
    Path missing = dir.resolve("nope.onnx");
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> OnnxSession.open(missing, 1));
    assertEquals(
        true, e.getMessage().startsWith("cannot load ONNX model " + missing), e.getMessage());
  }
}
