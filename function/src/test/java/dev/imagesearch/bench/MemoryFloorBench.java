package dev.imagesearch.bench;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor under any scan of int8 rows: the time to read {@code rows × 512} bytes of direct memory
 * once, with the cheapest work per byte (an XOR of 64-byte vectors), on {@code threads} threads. A
 * scan can only approach it; run beside {@link SearchScanBench} so both come from the same machine
 * state ({@code make bench} does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx256m",
      "-XX:MaxDirectMemorySize=1g",
      "--add-modules",
      "jdk.incubator.vector"
    })
public class MemoryFloorBench {
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;

  @Param({"50000", "1000000"})
  int rows;

  @Param({"1", "2"})
  int threads;

  private MemorySegment codes;
  private ExecutorService pool;

  @Setup(Level.Trial)
  public void setUp() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(rows * 512).order(ByteOrder.nativeOrder());
    for (int i = 0; i < buffer.capacity(); i++) buffer.put(i, (byte) (i * 31));
    codes = MemorySegment.ofBuffer(buffer);
    pool = Executors.newFixedThreadPool(threads);
  }

  @TearDown
  public void tearDown() {
    pool.shutdownNow();
  }

  @Benchmark
  public long readEveryCode() throws InterruptedException, ExecutionException {
    long bytes = codes.byteSize();
    List<Future<Long>> parts = new ArrayList<>();
    for (int p = 0; p < threads; p++) {
      long from = bytes * p / threads / 64 * 64;
      long to = p == threads - 1 ? bytes : bytes * (p + 1) / threads / 64 * 64;
      parts.add(pool.submit(() -> xor(from, to)));
    }
    long sum = 0;
    for (Future<Long> part : parts) sum += part.get();
    return sum;
  }

  private long xor(long from, long to) {
    ByteVector acc = ByteVector.zero(BYTES);
    long o = from;
    for (; o + BYTES.length() <= to; o += BYTES.length()) {
      acc =
          acc.lanewise(
              VectorOperators.XOR,
              ByteVector.fromMemorySegment(BYTES, codes, o, ByteOrder.nativeOrder()));
    }
    return acc.reduceLanes(VectorOperators.XOR);
  }
}
