package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EC2 env file the stack writes and ec2/image-search.env.template list the same variables. */
class ServiceEnvironmentTest {
  private static final ServiceEnvironment.Values DEFAULTS =
      new ServiceEnvironment.Values("clip-vit-base-patch32", null, "PT15M", "PT60S");

  /** Every {@code NAME=value} line, including commented-out optional ones ({@code #NAME=}). */
  static Map<String, String> templateEntries() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line :
        Files.readAllLines(TestStacks.layout().ec2Dir().resolve("image-search.env.template"))) {
      if (line.matches("#?[A-Z][A-Z0-9_]*=.*")) {
        String entry = line.startsWith("#") ? line.substring(1) : line;
        int eq = entry.indexOf('=');
        entries.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return entries;
  }

  @Test
  void templateMatchesTheStacksEnvFileWithTheSamePlaceholders() throws IOException {
    Map<String, String> stack =
        ServiceEnvironment.forEc2(
            "__BUCKET_NAME__",
            "__AWS_REGION__",
            new ServiceEnvironment.Values(
                "clip-vit-base-patch32", "https://s3.example.com", "PT15M", "PT60S"));
    assertEquals(stack, templateEntries());
  }

  @Test
  void lambdaGetsTheSameNamesMinusRegionAndPortWithDjlUnderTmp() {
    Map<String, String> ec2 = ServiceEnvironment.forEc2("b", "eu-west-1", DEFAULTS);
    Map<String, String> lambda = ServiceEnvironment.forLambda("b", DEFAULTS);

    Map<String, String> expected = new LinkedHashMap<>(ec2);
    expected.remove("AWS_REGION"); // reserved on Lambda: the runtime sets it
    expected.remove("PORT");
    expected.remove("IMAGE_SEARCH_BIND");
    expected.put("DJL_CACHE_DIR", "/tmp/djl");
    // /tmp is Lambda's only writable folder; EC2 gets systemd's CACHE_DIRECTORY instead.
    expected.put("IMAGE_SEARCH_MODEL_CACHE", "/tmp/image-search-models");
    // The managed runtime's JVM takes options only from JAVA_TOOL_OPTIONS (EC2: ExecStart).
    expected.put("JAVA_TOOL_OPTIONS", "--add-modules=jdk.incubator.vector");
    assertEquals(expected, lambda);
    assertEquals("s3://b/models/clip-vit-base-patch32/", lambda.get("IMAGE_SEARCH_MODEL"));
  }
}
