package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * The AOT cache's training and creation runs are the unit's own ExecStart with only the cache
   * flag swapped (the JVM refuses a cache made with other options or another class path), and the
   * creation runs no command. UnitCommandLineTest runs both lines.
   */
  @Test
  void aotCommandsAreTheUnitsExecStartWithOnlyTheCacheFlagSwapped() throws Exception {
    String execStart = String.join(" ", UnitFile.read().execStart());
    Result printed =
        run(
            "bash",
            SCRIPT.toString(),
            "--print-aot-commands",
            "--unit",
            UnitFile.read().path().toString());
    assertEquals(0, printed.exitCode(), printed.output());
    String cache = "-XX:AOTCache=/var/lib/image-search/app.aot";
    assertEquals(
        execStart.replace(
                cache, "-XX:AOTMode=record -XX:AOTConfiguration=/var/lib/image-search/app.aot.conf")
            + "\n"
            + execStart
                .replace(
                    cache,
                    "-XX:AOTMode=create -XX:AOTConfiguration=/var/lib/image-search/app.aot.conf "
                        + cache)
                .replace(" serve", "")
            + "\n",
        printed.output());
  }

  @Test
  void aUnitWithoutAnAotCacheFlagIsNamed(@TempDir Path tmp) throws Exception {
    Path unit = tmp.resolve("image-search.service");
    java.nio.file.Files.writeString(unit, "[Service]\nExecStart=/usr/bin/java -jar x.jar serve\n");
    assertEquals(
        new Result(1, "install.sh: the unit's ExecStart has no -XX:AOTCache=FILE\n"),
        run("bash", SCRIPT.toString(), "--print-aot-commands", "--unit", unit.toString()));
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
