package dev.imagesearch.clip;

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
