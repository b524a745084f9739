package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Lambda zip whose natives do not match the function's architecture is never deployed. */
class LambdaZipTest {
  @TempDir Path tmp;

  @Test
  void anArm64ZipCannotBeDeployedAsAnX8664Function() {
    Path zip = TestStacks.placeholderZip(tmp.resolve("image-search-lambda.zip")); // arm64 natives
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                TestStacks.stack(
                    tmp,
                    Map.of(
                        "lambda",
                        "true",
                        "lambdaArch",
                        "x86_64",
                        "lambdaZipPath",
                        zip.toString())));
    assertEquals(
        zip
            + " holds the arm64 natives but the function is x86_64: build it with `make package"
            + " ARCH=x86_64` (or deploy with lambdaArch=arm64)",
        refused.getMessage());
  }

  @Test
  void aZipWithoutNativesIsRefused() throws Exception {
    Path zip = tmp.resolve("empty.zip");
    try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("dev/imagesearch/web/SearchHandler.class"));
      out.closeEntry();
    }
    assertEquals(
        zip
            + " has no arm64 natives but the function is arm64: build it with `make package"
            + " ARCH=arm64` (or deploy with lambdaArch=x86_64)",
        assertThrows(IllegalStateException.class, () -> LambdaZip.requireArchitecture(zip, true))
            .getMessage());
  }
}
