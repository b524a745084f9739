package dev.imagesearch.bench;

import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs the JMH benchmarks of this package with JMH's own command line (include pattern, {@code -f},
 * {@code -wi}, {@code -i}, {@code -p name=value}, ...). {@code make bench} calls it with a short
 * configuration; run it on a quiet machine, the numbers go to {@code docs/benchmarks.md}.
 *
 * <pre>
 * ./mvnw -q -pl function test-compile exec:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.imagesearch.bench.Bench SearchScan -f 1 -wi 2 -i 3"
 * </pre>
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws RunnerException, java.io.IOException {
    org.openjdk.jmh.Main.main(args.length == 0 ? new String[] {"SearchScan"} : args);
  }
}
