package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagesearch.ImageSearchException;
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

  @Test
  void operatorsCanFixThreadsAndSpinning() {
    assertEquals(1, ThreadSizing.intraOpThreads(Map.of("IMAGE_SEARCH_ORT_THREADS", "1"), 8, 0));
    // An explicit --threads still wins over the variable.
    assertEquals(4, ThreadSizing.intraOpThreads(Map.of("IMAGE_SEARCH_ORT_THREADS", "1"), 8, 4));
    assertEquals(
        "IMAGE_SEARCH_ORT_THREADS must be a whole number from 1 to 64, got 'two'",
        assertThrows(
                ImageSearchException.class,
                () -> ThreadSizing.intraOpThreads(Map.of("IMAGE_SEARCH_ORT_THREADS", "two"), 8, 0))
            .getMessage());
    assertEquals(false, ThreadSizing.spinning(Map.of()));
    assertEquals(true, ThreadSizing.spinning(Map.of("IMAGE_SEARCH_ORT_SPINNING", "true")));
    assertEquals(false, ThreadSizing.spinning(Map.of("IMAGE_SEARCH_ORT_SPINNING", "0")));
    assertEquals(
        "IMAGE_SEARCH_ORT_SPINNING must be true or false, got 'yes'",
        assertThrows(
                ImageSearchException.class,
                () -> ThreadSizing.spinning(Map.of("IMAGE_SEARCH_ORT_SPINNING", "yes")))
            .getMessage());
  }
}
