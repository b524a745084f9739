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
    assertEquals("900M", unit.get("Service.MemoryMax"));
    assertEquals("/etc/image-search/image-search.env", unit.get("Service.EnvironmentFile"));
    // glibc gives freed memory back (RSS at 50,000 rows 274 instead of 307 MB, docs/benchmarks.md).
    assertEquals("MALLOC_TRIM_THRESHOLD_=131072", unit.get("Service.Environment"));
    assertEquals("multi-user.target", unit.get("Install.WantedBy"));
  }

  @Test
  void jvmIsSizedForOneGigabyteWithAnAotCache() throws IOException {
    List<String> command = UnitFile.read().execStart();
    assertEquals(
        List.of(
            "/usr/bin/java",
            "--enable-native-access=ALL-UNNAMED",
            "--add-modules",
            "jdk.incubator.vector",
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-Xms64m",
            "-Xmx128m",
            "-XX:MaxMetaspaceSize=96m",
            "-XX:ReservedCodeCacheSize=48m",
            "-XX:MaxDirectMemorySize=512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:AOTCache=/var/lib/image-search/app.aot",
            "-jar",
            "/opt/image-search/image-search.jar",
            "serve"),
        command);
  }

  /**
   * The budget written in the unit, in MiB, at the design's 1,000,000 rows × 512 dimensions: the
   * measured footprint of the JVM with the int8 text tower loaded (253, docs/deploy.md "Memory"),
   * the heap's growth to -Xmx beyond the 22 MB that measurement used, up to 40 more of metaspace
   * and code cache, and the off-heap int8 matrix (512,000,000 bytes, 489) must stay under
   * MemoryMax: 253 + (128 - 22) + 40 + 489 = 888 <= 900, and the matrix must fit the direct-memory
   * cap. The full server at 1,000,000 rows under these flags peaked at 847 (VmHWM).
   */
  @Test
  void jvmCapsPlusModelFitUnderMemoryMax() throws IOException {
    UnitFile unit = UnitFile.read();
    List<String> command = unit.execStart();
    int heap = megabytes(command, "-Xmx");
    int direct = megabytes(command, "-XX:MaxDirectMemorySize=");
    long matrixBytes = 1_000_000L * 512;
    int matrix = (int) ((matrixBytes + (1 << 20) - 1) >> 20);
    assertEquals(489, matrix);
    assertTrue(matrixBytes < (long) direct << 20, direct + " MiB of direct memory");
    int measuredWithModel = 253;
    int usedHeapInThatMeasurement = 22;
    int metaspaceAndCodeGrowth = 40;
    int budget = measuredWithModel + (heap - usedHeapInThatMeasurement) + metaspaceAndCodeGrowth;
    assertEquals(888, budget + matrix);
    int memoryMax = megabytes(List.of(unit.get("Service.MemoryMax")), "");
    assertTrue(budget + matrix <= memoryMax);
    int measuredPeakAtOneMillionRows = 847;
    assertTrue(measuredPeakAtOneMillionRows <= memoryMax);
    // A t4g.micro has 1024 MiB; about 100 are left to the OS.
    assertTrue(memoryMax <= 900, "MemoryMax " + memoryMax);
    // The model lives on disk in systemd's cache directory, not in the tmpfs private /tmp.
    assertEquals("image-search", unit.get("Service.CacheDirectory"));
  }

  private static int megabytes(List<String> args, String prefix) {
    for (String arg : args) {
      if (arg.startsWith(prefix) && arg.toLowerCase(java.util.Locale.ROOT).endsWith("m")) {
        return Integer.parseInt(arg.substring(prefix.length(), arg.length() - 1));
      }
    }
    throw new AssertionError("no " + prefix + "<n>m in " + args);
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
