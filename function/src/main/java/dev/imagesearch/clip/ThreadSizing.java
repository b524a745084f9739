package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import java.util.Map;

/**
 * How many intra-op threads ONNX Runtime gets. On Lambda the visible processor count says nothing
 * about the CPU share actually paid for: a function gets one vCPU per 1,769 MB of memory, so the
 * count comes from {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}. Elsewhere it is the configured value,
 * or the processors capped at 2 (more threads hurt single-query latency on small models).
 *
 * <pre>{@code
 * int threads = ThreadSizing.intraOpThreads(System.getenv(), Runtime.getRuntime().availableProcessors(), 0);
 * }</pre>
 */
public final class ThreadSizing {
  /** Lambda allocates one full vCPU per this many MB of configured memory. */
  public static final int LAMBDA_MB_PER_VCPU = 1769;

  static final int DEFAULT_CAP = 2;

  /** Fixes the intra-op thread count (for benchmarks and operators who measured their own). */
  public static final String THREADS_VARIABLE = "IMAGE_SEARCH_ORT_THREADS";

  /**
   * {@code true} lets ONNX Runtime's intra-op threads spin between work items instead of sleeping
   * (faster single queries, CPU burnt while idle); {@code false} (the default) does not.
   */
  public static final String SPINNING_VARIABLE = "IMAGE_SEARCH_ORT_SPINNING";

  /** Whether this process's intra-op threads may spin. */
  public static boolean spinning() {
    return spinning(System.getenv());
  }

  /** Whether intra-op threads may spin ({@value #SPINNING_VARIABLE}). */
  public static boolean spinning(Map<String, String> env) {
    String raw = env.getOrDefault(SPINNING_VARIABLE, "").strip();
    return switch (raw) {
      case "", "false", "0" -> false;
      case "true", "1" -> true;
      default ->
          throw new ImageSearchException(
              SPINNING_VARIABLE + " must be true or false, got '" + raw + "'");
    };
  }

  private ThreadSizing() {}

  /**
   * @param env the process environment (Lambda sets {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE})
   * @param processors {@code Runtime.availableProcessors()}
   * @param configured an explicit setting, or {@code <= 0} for automatic
   */
  public static int intraOpThreads(Map<String, String> env, int processors, int configured) {
    if (configured > 0) {
      return configured;
    }
    String fixed = env.get(THREADS_VARIABLE);
    if (fixed != null && !fixed.isBlank()) {
      try {
        int n = Integer.parseInt(fixed.trim());
        if (n >= 1 && n <= 64) return n;
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new ImageSearchException(
          THREADS_VARIABLE + " must be a whole number from 1 to 64, got '" + fixed + "'");
    }
    String memory = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
    if (memory != null && !memory.isBlank()) {
      try {
        int vcpus = Integer.parseInt(memory.trim()) / LAMBDA_MB_PER_VCPU;
        return Math.max(1, Math.min(vcpus, Math.max(1, processors)));
      } catch (NumberFormatException e) {
        // A malformed value is Lambda's problem, not the user's: fall through to the default.
      }
    }
    return Math.max(1, Math.min(DEFAULT_CAP, processors));
  }

  /** Sizing for this process. */
  public static int intraOpThreads(int configured) {
    return intraOpThreads(System.getenv(), Runtime.getRuntime().availableProcessors(), configured);
  }
}
