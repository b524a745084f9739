package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's natives copied out of its jar once, checked against the jar's CRC-32s. */
class OnnxNativesTest {
  private static final Optional<String> HERE = OnnxNatives.platformFolder();

  @Test
  void theLibrariesAreCopiedIntoAFolderNamedAfterTheirChecksums(@TempDir Path tmp)
      throws IOException {
    assumeTrue(HERE.isPresent(), "ONNX Runtime's natives are copied on Linux x64 and aarch64 only");
    Path dir = OnnxNatives.extract(tmp, HERE).orElseThrow();
    assertEquals(tmp, dir.getParent());
    assertTrue(dir.getFileName().toString().matches("onnxruntime-[0-9a-f]+-[0-9a-f]+"), dir + "");
    assertEquals(List.of("libonnxruntime.so", "libonnxruntime4j_jni.so"), names(dir));
    assertTrue(Files.size(dir.resolve("libonnxruntime.so")) > 1_000_000);
    String[] crcs = dir.getFileName().toString().split("-");
    assertEquals(crcs[1], Long.toHexString(OnnxNatives.crc32(dir.resolve("libonnxruntime.so"))));
    assertEquals(
        crcs[2], Long.toHexString(OnnxNatives.crc32(dir.resolve("libonnxruntime4j_jni.so"))));
  }

  @Test
  void intactCopiesAreKeptAndADamagedOneIsCopiedAgain(@TempDir Path tmp) throws IOException {
    assumeTrue(HERE.isPresent(), "ONNX Runtime's natives are copied on Linux x64 and aarch64 only");
    Path dir = OnnxNatives.extract(tmp, HERE).orElseThrow();
    Path jni = dir.resolve("libonnxruntime4j_jni.so");
    Path runtime = dir.resolve("libonnxruntime.so");
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(runtime, old);
    byte[] bytes = Files.readAllBytes(jni);
    bytes[bytes.length / 2] ^= 1;
    Files.write(jni, bytes);

    assertEquals(dir, OnnxNatives.extract(tmp, HERE).orElseThrow());
    assertEquals(old, Files.getLastModifiedTime(runtime), "the intact copy is not rewritten");
    assertEquals(
        dir.getFileName().toString().split("-")[2], Long.toHexString(OnnxNatives.crc32(jni)));
    assertEquals(List.of("libonnxruntime.so", "libonnxruntime4j_jni.so"), names(dir));
  }

  @Test
  void nothingIsSetWhereTheFolderCannotBeWrittenOrThePlatformHasNoCopy(@TempDir Path tmp)
      throws IOException {
    Path notAFolder = Files.writeString(tmp.resolve("cache"), "a file");
    assertEquals(Optional.empty(), OnnxNatives.extract(notAFolder, HERE));
    assertEquals(Optional.empty(), OnnxNatives.extract(tmp, Optional.empty()));
    assertEquals(
        Optional.empty(),
        OnnxNatives.extract(tmp, Optional.of("ai/onnxruntime/native/plan9-x64/")));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
