package dev.imagesearch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * Checks the Lambda zip before it is deployed: its native libraries (ONNX Runtime, the tokenizer)
 * must be the function's architecture, or the function would fail at its first model load, long
 * after the deployment reported success.
 *
 * <pre>{@code
 * LambdaZip.requireArchitecture(Path.of("function/target/image-search-lambda.zip"), true);
 * }</pre>
 */
final class LambdaZip {
  private LambdaZip() {}

  /** The ONNX Runtime native the zip must hold for an architecture. */
  static String onnxRuntimeNative(boolean arm64) {
    return "ai/onnxruntime/native/"
        + (arm64 ? "linux-aarch64" : "linux-x64")
        + "/libonnxruntime.so";
  }

  /** The tokenizer native the zip must hold for an architecture. */
  static String tokenizerNative(boolean arm64) {
    return "native/lib/" + (arm64 ? "linux-aarch64" : "linux-x86_64") + "/cpu/libtokenizers.so";
  }

  static Path requireArchitecture(Path zip, boolean arm64) {
    List<String> names;
    try (ZipFile file = new ZipFile(zip.toFile())) {
      names = Collections.list(file.entries()).stream().map(e -> e.getName()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Lambda zip " + zip, e);
    }
    String arch = arm64 ? "arm64" : "x86_64";
    String other = arm64 ? "x86_64" : "arm64";
    boolean hasOwn =
        names.contains(onnxRuntimeNative(arm64)) && names.contains(tokenizerNative(arm64));
    boolean hasOther =
        names.contains(onnxRuntimeNative(!arm64)) || names.contains(tokenizerNative(!arm64));
    if (!hasOwn || hasOther) {
      throw new IllegalStateException(
          zip
              + (hasOther ? " holds the " + other + " natives" : " has no " + arch + " natives")
              + " but the function is "
              + arch
              + ": build it with `make package ARCH="
              + arch
              + "` (or deploy with lambdaArch="
              + other
              + ")");
    }
    return zip;
  }
}
