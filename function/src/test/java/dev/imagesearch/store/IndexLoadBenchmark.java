package dev.imagesearch.store;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures loading a 50,000 x 512 float16 index from S3Proxy (in this JVM, SigV4 on, over HTTP):
 * wall time, the size of the loaded index (heap plus direct buffers retained after a full GC),
 * bytes allocated by the loading thread plus direct buffers (an upper bound of what loading can add
 * at any moment, garbage included) and the highest heap + direct use sampled every millisecond
 * (garbage included, S3Proxy's own too).
 *
 * <pre>
 * make bench-index-load   (or: ./mvnw -q -pl function exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.imagesearch.store.IndexLoadBenchmark -Dexec.args="50000 512")
 * </pre>
 */
public final class IndexLoadBenchmark {
  private IndexLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    Path dir = Files.createTempDirectory("index-load-bench");
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"))) {
      server.createBucket("bench");
      try (S3BlobStore store = server.store("bench", "")) {
        Path staging =
            StagedIndex.write(
                dir.resolve("staging"), "bench-model", rows, dim, Npy.DType.FLOAT16, 1);
        long npyBytes = Files.size(staging.resolve(IndexFiles.EMBEDDINGS));
        long jsonlBytes = Files.size(staging.resolve(IndexFiles.METADATA));
        new IndexPublisher(store, 3).publish(staging);
        IndexLoader loader = new IndexLoader(store);
        // Warm up the SDK and the JIT on one load, then measure a second one. The first stays
        // reachable: were it collected during the measurement, its direct buffers would be freed
        // while the second's are allocated and the two would cancel out.
        LoadedIndex warm = loader.loadCurrent("bench-model", dim);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        BufferPoolMXBean direct =
            ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .findFirst()
                .orElseThrow();
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.gc();
        long directBefore = direct.getMemoryUsed();
        long before = memory.getHeapMemoryUsage().getUsed() + directBefore;
        AtomicLong peak = new AtomicLong(before);
        Thread sampler =
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(
                            memory.getHeapMemoryUsage().getUsed() + direct.getMemoryUsed(),
                            Math::max);
                        try {
                          Thread.sleep(1);
                        } catch (InterruptedException e) {
                          return;
                        }
                      }
                    });
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        LoadedIndex index = loader.loadCurrent("bench-model", dim);
        long nanos = System.nanoTime() - start;
        long directAdded = direct.getMemoryUsed() - directBefore;
        // Thread allocation counts heap only; the matrix may live in direct buffers.
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore + directAdded;
        sampler.interrupt();
        sampler.join();
        System.gc();
        long retained = memory.getHeapMemoryUsage().getUsed() + direct.getMemoryUsed() - before;

        java.lang.ref.Reference.reachabilityFence(warm);
        double mb = 1 << 20;
        System.out.printf(
            "index %s: %d x %d float16 (embeddings.npy %.1f MB, metadata.jsonl %.1f MB)%n",
            index.version(), index.size(), index.matrix().dim(), npyBytes / mb, jsonlBytes / mb);
        System.out.printf("load time                      %.0f ms%n", nanos / 1e6);
        System.out.printf(
            "loaded index (retained)        %.1f MB (of which direct buffers %.1f MB)%n",
            retained / mb, directAdded / mb);
        System.out.printf(
            "allocated by the loading thread %.1f MB = %.2f x the loaded size%n",
            allocated / mb, (double) allocated / retained);
        System.out.printf(
            "sampled heap peak above start  %.1f MB = %.2f x the loaded size%n",
            (peak.get() - before) / mb, (double) (peak.get() - before) / retained);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
