package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadSizingTest {
  @Test
  void lambdaGetsOneThreadPerVcpuItPaysFor() {
    // 1,769 MB buys one vCPU: 1024 MB -> 0 full vCPUs -> at least 1 thread.
    assertEquals(
        1, ThreadSizing.intraOpThreads(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"), 2, 0));
    // 3,538 MB = 2 x 1,769 -> 2 threads.
    assertEquals(
        2, ThreadSizing.intraOpThreads(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3538"), 6, 0));
    // 10,240 MB / 1,769 = 5.79 -> 5 threads, when the sandbox shows 6 processors.
    assertEquals(
        5, ThreadSizing.intraOpThreads(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "10240"), 6, 0));
    // Never more threads than visible processors.
    assertEquals(
        2, ThreadSizing.intraOpThreads(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "10240"), 2, 0));
  }

  @Test
  void elsewhereProcessorsCappedAtTwoUnlessConfigured() {
    assertEquals(2, ThreadSizing.intraOpThreads(Map.of(), 8, 0));
    assertEquals(1, ThreadSizing.intraOpThreads(Map.of(), 1, 0));
    assertEquals(6, ThreadSizing.intraOpThreads(Map.of(), 8, 6));
    assertEquals(
        3, ThreadSizing.intraOpThreads(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"), 8, 3));
    assertEquals(
        2, ThreadSizing.intraOpThreads(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots"), 8, 0));
  }
}
