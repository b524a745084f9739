package dev.imagesearch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.lambda.Runtime;

/**
 * Where the stack finds what it deploys: the repository root (the folder whose {@code pom.xml} sets
 * {@code java.release}), the built artifacts and {@code ec2/}. The Java release is read from the
 * root POM so the Lambda runtime can never disagree with what the code is compiled for.
 *
 * <pre>{@code
 * ProjectLayout layout = ProjectLayout.find();           // from the working directory upwards
 * Runtime runtime = ProjectLayout.lambdaRuntime(layout.javaRelease()); // Runtime.JAVA_21
 * }</pre>
 */
public record ProjectLayout(Path root, int javaRelease) {

  private static final Pattern RELEASE =
      Pattern.compile("<java\\.release>\\s*(\\d+)\\s*</java\\.release>");

  /** Finds the root from the working directory: {@code make synth} and the CDK CLI both work. */
  public static ProjectLayout find() {
    return findFrom(Path.of("").toAbsolutePath());
  }

  /** Walks up from {@code start} to the first {@code pom.xml} that sets {@code java.release}. */
  public static ProjectLayout findFrom(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom)) {
        Matcher release = RELEASE.matcher(read(pom));
        if (release.find()) {
          return new ProjectLayout(dir, Integer.parseInt(release.group(1)));
        }
      }
    }
    throw new IllegalStateException(
        "no pom.xml setting <java.release> in " + start + " or any parent folder");
  }

  /** The Lambda runtime for a Java release; only releases Lambda offers are accepted. */
  public static Runtime lambdaRuntime(int javaRelease) {
    return switch (javaRelease) {
      case 21 -> Runtime.JAVA_21;
      case 25 -> Runtime.JAVA_25;
      default ->
          throw new IllegalArgumentException(
              "java.release "
                  + javaRelease
                  + " in the root pom.xml has no AWS Lambda runtime (use 21 or 25)");
    };
  }

  public Path jar() {
    return root.resolve("function/target/image-search.jar");
  }

  public Path lambdaZip() {
    return root.resolve("function/target/image-search-lambda.zip");
  }

  public Path ec2Dir() {
    return root.resolve("ec2");
  }

  /** Fails with the command that builds {@code file} when it is missing. */
  public static Path requireBuilt(Path file, String howToBuild) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " does not exist: build it with `" + howToBuild + "`");
    }
    return file;
  }

  private static String read(Path pom) {
    try {
      return Files.readString(pom);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pom, e);
    }
  }
}
