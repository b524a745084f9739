package dev.imagesearch.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opens the built Lambda zip and checks what AWS Lambda will get. */
class LambdaZipIT {
  private static final long MAX_UNZIPPED = 250L * 1024 * 1024; // Lambda's limit for a zip package
  private static final long MAX_ZIPPED = 50L * 1024 * 1024; // direct upload limit
  private static final List<String> entries = new ArrayList<>();
  private static long unzipped;
  private static long zipped;
  private static String arch;

  @BeforeAll
  static void open() throws IOException {
    Path zip = Path.of(System.getProperty("lambda.zip"));
    arch = System.getProperty("lambda.arch");
    zipped = Files.size(zip);
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> all = file.entries();
      while (all.hasMoreElements()) {
        ZipEntry e = all.nextElement();
        entries.add(e.getName());
        unzipped += Math.max(0, e.getSize());
      }
    }
    System.out.printf(
        "lambda zip (%s): %.1f MB zipped, %.1f MB unzipped, %d entries%n",
        arch, zipped / 1e6, unzipped / 1e6, entries.size());
  }

  @Test
  void handlerAndItsDependenciesArePresent() {
    assertTrue(entries.contains("dev/imagesearch/web/SearchHandler.class"));
    assertTrue(entries.contains("com/amazonaws/services/lambda/runtime/RequestHandler.class"));
    assertTrue(entries.contains("org/crac/Resource.class"));
    assertTrue(entries.contains("template-assets/page.mustache"));
    assertTrue(
        entries.contains(
            "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class"));
  }

  @Test
  void onlyTheChosenArchitecturesNatives() {
    String ort = arch.equals("arm64") ? "linux-aarch64" : "linux-x64";
    String djl = arch.equals("arm64") ? "linux-aarch64" : "linux-x86_64";
    List<String> natives =
        entries.stream()
            .filter(
                n ->
                    n.endsWith(".so")
                        || n.endsWith(".dylib")
                        || n.endsWith(".dll")
                        || n.endsWith(".jnilib"))
            .sorted()
            .toList();
    List<String> expected =
        List.of(
            "ai/onnxruntime/native/" + ort + "/libonnxruntime.so",
            "ai/onnxruntime/native/" + ort + "/libonnxruntime4j_jni.so",
            "com/sun/jna/"
                + (arch.equals("arm64") ? "linux-aarch64" : "linux-x86-64")
                + "/libjnidispatch.so",
            "native/lib/" + djl + "/cpu/libtokenizers.so");
    assertEquals(expected.stream().sorted().toList(), natives);
  }

  @Test
  void noNettyOrApacheHttpClient() {
    assertTrue(entries.stream().noneMatch(n -> n.startsWith("io/netty/")), "Netty is in the zip");
    assertTrue(
        entries.stream().noneMatch(n -> n.startsWith("org/apache/http/")),
        "Apache HTTP client is in the zip");
    assertTrue(
        entries.stream().noneMatch(n -> n.startsWith("software/amazon/awssdk/http/nio/netty/")));
    assertTrue(
        entries.stream().noneMatch(n -> n.startsWith("software/amazon/awssdk/http/apache/")));
  }

  @Test
  void withinLambdaSizeLimits() {
    assertTrue(unzipped < MAX_UNZIPPED, "unzipped " + unzipped + " bytes");
    assertTrue(zipped < MAX_ZIPPED, "zipped " + zipped + " bytes");
  }
}
