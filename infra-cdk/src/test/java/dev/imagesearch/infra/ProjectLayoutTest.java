package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.services.lambda.Runtime;

/** The Lambda runtime follows the root POM's java.release: set once, never in two places. */
class ProjectLayoutTest {

  @Test
  void javaReleaseIsReadFromTheRootPomAndMatchesTheBuild() {
    // Surefire passes the POM's ${java.release} as a system property: the value the compiler
    // used. The stack reads the POM file itself at synth time; both must agree.
    ProjectLayout layout = TestStacks.layout();
    assertEquals(Integer.parseInt(System.getProperty("java.release", "21")), layout.javaRelease());
    assertTrue(
        Files.isRegularFile(layout.root().resolve("infra-cdk/pom.xml")), layout.root().toString());
  }

  @Test
  void lambdaRuntimeIsDerivedFromThatRelease() {
    int release = TestStacks.layout().javaRelease();
    assertEquals("java" + release, ProjectLayout.lambdaRuntime(release).getName());
    assertEquals(Runtime.JAVA_21.getName(), ProjectLayout.lambdaRuntime(21).getName());
    assertEquals(Runtime.JAVA_25.getName(), ProjectLayout.lambdaRuntime(25).getName());
  }

  @Test
  void releaseWithoutLambdaRuntimeIsRefused() {
    assertEquals(
        "java.release 22 in the root pom.xml has no AWS Lambda runtime (use 21 or 25)",
        assertThrows(IllegalArgumentException.class, () -> ProjectLayout.lambdaRuntime(22))
            .getMessage());
  }

  @Test
  void findsTheRootFromASubfolder(@TempDir Path tmp) throws IOException {
    Files.writeString(
        tmp.resolve("pom.xml"),
        "<project><properties><java.release>25</java.release></properties></project>");
    Path module = Files.createDirectories(tmp.resolve("infra-cdk"));
    Files.writeString(module.resolve("pom.xml"), "<project><parent/></project>");

    ProjectLayout layout = ProjectLayout.findFrom(module);

    assertEquals(tmp.toAbsolutePath(), layout.root());
    assertEquals(25, layout.javaRelease());
    assertEquals(tmp.resolve("function/target/image-search.jar").toAbsolutePath(), layout.jar());
  }

  @Test
  void missingArtifactSaysHowToBuildIt(@TempDir Path tmp) {
    Path zip = tmp.resolve("image-search-lambda.zip");
    assertEquals(
        zip + " does not exist: build it with `make package`",
        assertThrows(
                IllegalStateException.class, () -> ProjectLayout.requireBuilt(zip, "make package"))
            .getMessage());
  }
}
