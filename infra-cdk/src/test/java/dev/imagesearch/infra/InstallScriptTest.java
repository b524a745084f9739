package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ec2/install.sh changes the machine it runs on, so the tests only run the parts that stop before
 * any change: bash's syntax check, and argument errors (parsed before the root check).
 */
class InstallScriptTest {
  private static final Path SCRIPT = TestStacks.layout().ec2Dir().resolve("install.sh");

  @Test
  void isValidBash() throws Exception {
    assertEquals(new Result(0, ""), run("bash", "-n", SCRIPT.toString()));
  }

  @Test
  void unknownOptionIsRefusedWithAHint() throws Exception {
    assertEquals(
        new Result(2, "install.sh: unknown option '--bukcet' (see --help)\n"),
        run("bash", SCRIPT.toString(), "--bukcet", "x"));
  }

  /** The instance runs the Java release the code is compiled for (the root POM's). */
  @Test
  void installsTheRootPomsJavaRelease() throws Exception {
    String script = java.nio.file.Files.readString(SCRIPT);
    assertEquals(
        1,
        script
            .lines()
            .filter(l -> l.equals("java_release=" + TestStacks.layout().javaRelease()))
            .count(),
        "install.sh must set java_release=" + TestStacks.layout().javaRelease());
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("did not finish: " + String.join(" ", command));
    }
    return new Result(process.exitValue(), output);
  }
}
