package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ec2/image-search.service: the hardening it promises, and systemd's own verdict on it. */
class SystemdUnitTest {

  @Test
  void runsAsANonRootUserThatMayOnlyBindLowPorts() throws IOException {
    UnitFile unit = UnitFile.read();
    assertEquals("image-search", unit.get("Service.User"));
    assertEquals("CAP_NET_BIND_SERVICE", unit.get("Service.AmbientCapabilities"));
    assertEquals("CAP_NET_BIND_SERVICE", unit.get("Service.CapabilityBoundingSet"));
    assertEquals("yes", unit.get("Service.NoNewPrivileges"));
    assertEquals("strict", unit.get("Service.ProtectSystem"));
    assertEquals("yes", unit.get("Service.ProtectHome"));
    assertEquals("yes", unit.get("Service.PrivateTmp"));
    assertEquals(
        "/var/lib/image-search /var/cache/image-search", unit.get("Service.ReadWritePaths"));
    assertEquals("always", unit.get("Service.Restart"));
    assertEquals("850M", unit.get("Service.MemoryMax"));
    assertEquals("/etc/image-search/image-search.env", unit.get("Service.EnvironmentFile"));
    assertEquals("multi-user.target", unit.get("Install.WantedBy"));
  }

  @Test
  void jvmIsSizedForOneGigabyteWithACdsArchive() throws IOException {
    List<String> command = UnitFile.read().execStart();
    assertEquals(
        List.of(
            "/usr/bin/java",
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-Xms64m",
            "-Xmx256m",
            "-XX:MaxMetaspaceSize=128m",
            "-XX:ReservedCodeCacheSize=64m",
            "-XX:MaxDirectMemorySize=512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:SharedArchiveFile=/var/lib/image-search/app.jsa",
            "-XX:+AutoCreateSharedArchive",
            "-jar",
            "/opt/image-search/image-search.jar",
            "serve"),
        command);
    // Heap 256 + metaspace 128 + code cache 64 = 448 MB at most for the JVM's own pools. The
    // off-heap matrix gets its own cap (512 MB: INT16 rows up to ~260,000 x 512, INT8 up to
    // ~1,000,000 x 512); without it direct memory would be capped at the heap size.
  }

  /** The JDK accepts every JVM option of ExecStart (a misspelt -XX flag stops the JVM). */
  @Test
  void theJdkAcceptsTheUnitsJvmOptions(@TempDir Path tmp) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> execStart = UnitFile.read().execStart();
    for (String arg : execStart.subList(1, execStart.size())) {
      if (arg.equals("-jar")) {
        break;
      }
      command.add(arg.replace("/var/lib/image-search", tmp.toString()));
    }
    command.add("-version");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
  }

  /**
   * Runs {@code systemd-analyze verify} on a copy whose {@code /usr/bin/java} is replaced by the
   * JDK running this test: verify checks that ExecStart's program exists and is executable, and a
   * CI machine need not have {@code /usr/bin/java}. Everything else (user, directories, env file)
   * is resolved only when the service starts, so the copy is otherwise the real unit, under the
   * real file name. A second copy with a misspelt directive shows verify really reads our lines.
   */
  @Test
  void systemdAnalyzeVerifyFindsNothingToSay(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
        "systemd-analyze not installed (Debian package systemd); .ci/run installs it");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String unit = Files.readString(UnitFile.read().path()).replace("/usr/bin/java ", java + " ");

    Path good = Files.createDirectories(tmp.resolve("good")).resolve("image-search.service");
    Files.writeString(good, unit);
    Verdict verdict = verify(good);
    assertEquals(0, verdict.exitCode(), verdict.output());
    assertEquals(
        List.of(), verdict.output().lines().filter(line -> line.contains("image-search")).toList());

    Path bad = Files.createDirectories(tmp.resolve("bad")).resolve("image-search.service");
    Files.writeString(bad, unit.replace("NoNewPrivileges=yes", "NoNewPrivilege=yes"));
    assertTrue(
        verify(bad).output().contains("Unknown key 'NoNewPrivilege' in section [Service]"),
        verify(bad).output());
  }

  private record Verdict(int exitCode, String output) {}

  private static Verdict verify(Path unit) throws Exception {
    Process process =
        new ProcessBuilder("systemd-analyze", "verify", unit.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("systemd-analyze verify did not finish: " + output);
    }
    return new Verdict(process.exitValue(), output);
  }
}
