package dev.imagesearch.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes {@link ImageSearchStack} the way {@link InfraApp} does, with a fixed dummy account
 * and region (so nothing needs AWS) and small stand-in artifacts written to a temp folder: the
 * Lambda zip and the jar may not be built yet when the infra tests run on their own. The stack only
 * hashes and uploads them, so their content does not change what is asserted.
 */
final class TestStacks {
  static final String ACCOUNT = "123456789012";
  static final String REGION = "eu-west-1";

  /** The non-default context of {@link #custom()}: one synthesis covers every option. */
  static final Map<String, Object> CUSTOM =
      Map.of(
          "lambda", "true",
          "instanceType", "t3.micro",
          "ingressCidr", "203.0.113.0/24",
          "lambdaMemory", "3008",
          "throttleRate", "20",
          "throttleBurst", "40");

  private static ImageSearchStack defaultStack;
  private static ImageSearchStack customStack;

  private TestStacks() {}

  /** The stack with no context: t4g.micro, no Lambda. Synthesized once per test run (slow). */
  static synchronized ImageSearchStack defaults() {
    if (defaultStack == null) {
      defaultStack = stack(tempDir(), Map.of());
    }
    return defaultStack;
  }

  /** The stack with {@link #CUSTOM}: t3.micro, a narrow CIDR and the Lambda route. */
  static synchronized ImageSearchStack custom() {
    if (customStack == null) {
      customStack = stack(tempDir(), CUSTOM);
    }
    return customStack;
  }

  private static Template defaultTemplate;
  private static Template customTemplate;

  static synchronized Template defaultTemplate() {
    if (defaultTemplate == null) {
      defaultTemplate = Template.fromStack(defaults());
    }
    return defaultTemplate;
  }

  static synchronized Template customTemplate() {
    if (customTemplate == null) {
      customTemplate = Template.fromStack(custom());
    }
    return customTemplate;
  }

  /** The logical id of the one resource of {@code type}. */
  static String onlyResourceId(Template template, String type) {
    Map<String, Map<String, Object>> found = template.findResources(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type + ", found " + found.keySet());
    }
    return found.keySet().iterator().next();
  }

  /** The one resource of {@code type}: its {@code Properties}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> onlyResource(Template template, String type) {
    Map<String, Map<String, Object>> found = template.findResources(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type + ", found " + found.keySet());
    }
    return (Map<String, Object>) found.values().iterator().next().get("Properties");
  }

  /**
   * Flattens CloudFormation intrinsics into readable text: {@code Fn::Join} is joined, {@code Ref}
   * becomes {@code ${Ref:Name}}, anything else {@code ${...}}. Used for user data and ARNs.
   */
  @SuppressWarnings("unchecked")
  static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Map<?, ?> map) {
      if (map.containsKey("Fn::Join")) {
        List<Object> join = (List<Object>) map.get("Fn::Join");
        return ((List<Object>) join.get(1))
            .stream().map(TestStacks::text).collect(Collectors.joining((String) join.get(0)));
      }
      if (map.containsKey("Fn::Base64")) {
        return text(map.get("Fn::Base64"));
      }
      if (map.containsKey("Ref")) {
        return "${Ref:" + map.get("Ref") + "}";
      }
      if (map.containsKey("Fn::GetAtt")) {
        List<Object> att = (List<Object>) map.get("Fn::GetAtt");
        return "${" + att.get(0) + "." + att.get(1) + "}";
      }
    }
    return "${" + value + "}";
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("image-search-cdk");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ImageSearchStack stack(Path tmp, Map<String, Object> context) {
    Map<String, Object> all = new HashMap<>();
    // The real artifacts when the function module was built first (as in `make test`); small
    // stand-ins otherwise, since the template's values do not depend on the assets' bytes.
    Path jar = layout().jar();
    Path zip = jar.resolveSibling("image-search-lambda.zip");
    all.put(
        "jarPath",
        (Files.isRegularFile(jar) ? jar : write(tmp.resolve("image-search.jar"), "stand-in jar"))
            .toString());
    all.put(
        "lambdaZipPath",
        (Files.isRegularFile(zip) ? zip : placeholderZip(tmp.resolve("image-search-lambda.zip")))
            .toString());
    all.putAll(context);
    App app =
        new App(AppProps.builder().context(all).outdir(tmp.resolve("cdk.out").toString()).build());
    StackSettings settings = StackSettings.fromContext(app.getNode(), layout());
    return new ImageSearchStack(
        app,
        InfraApp.STACK_NAME,
        StackProps.builder()
            .env(Environment.builder().account(ACCOUNT).region(REGION).build())
            .build(),
        settings);
  }

  static Template template(Path tmp, Map<String, Object> context) {
    return Template.fromStack(stack(tmp, context));
  }

  /** The repository root: surefire sets {@code project.root}; from an IDE, search upwards. */
  static ProjectLayout layout() {
    String root = System.getProperty("project.root");
    return root != null ? ProjectLayout.findFrom(Path.of(root).normalize()) : ProjectLayout.find();
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path placeholderZip(Path file) {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      // Named like the arm64 package's natives: the stack checks the zip's architecture.
      for (String name :
          List.of(
              "placeholder.txt",
              LambdaZip.onnxRuntimeNative(true),
              LambdaZip.tokenizerNative(true))) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write("stand-in for image-search-lambda.zip".getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
