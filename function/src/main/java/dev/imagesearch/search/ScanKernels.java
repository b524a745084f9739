package dev.imagesearch.search;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks the scan kernel once per process: the Vector API kernel sized to the platform's preferred
 * vector width when the JVM resolved {@code jdk.incubator.vector} (started with {@code
 * --add-modules jdk.incubator.vector}) and compiles with C2, else the scalar loops. {@code
 * -Dimage-search.scan.kernel=scalar} forces the fallback (for comparisons).
 */
public final class ScanKernels {
  /** System property that forces a kernel: {@code scalar} or {@code vector}. */
  public static final String PROPERTY = "image-search.scan.kernel";

  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String VECTOR_CLASS = "dev.imagesearch.search.VectorKernels";

  private ScanKernels() {}

  private static final class Best {
    static final ScanKernel KERNEL = choose();
  }

  /** The kernel this process uses (decided on first use). */
  public static ScanKernel best() {
    return Best.KERNEL;
  }

  /** The scalar fallback, always available. */
  public static ScanKernel scalar() {
    return ScalarKernel.INSTANCE;
  }

  /** Whether the Vector API module is resolved in this JVM. */
  public static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /** The Vector API kernel for {@code bits}-bit float vectors, if the module is present. */
  public static Optional<ScanKernel> vector(int bits) {
    return vectorModulePresent() ? Optional.of(load("ofWidth", bits)) : Optional.empty();
  }

  /**
   * Every kernel this JVM can run, {@link #best()} first: the scalar one and the Vector API one at
   * each width it has (64 to 512 bits; widths wider than the CPU's are emulated by the JDK, slowly
   * but exactly). Made once: each Vector API kernel is a class of its own.
   */
  public static List<ScanKernel> all() {
    return All.KERNELS;
  }

  private static final class All {
    static final List<ScanKernel> KERNELS = list();

    private static List<ScanKernel> list() {
      List<ScanKernel> kernels = new ArrayList<>();
      kernels.add(best());
      if (best() != scalar()) kernels.add(scalar());
      for (int bits : new int[] {64, 128, 256, 512}) {
        if (!best().name().equals("vector-" + bits)) vector(bits).ifPresent(kernels::add);
      }
      return List.copyOf(kernels);
    }
  }

  private static ScanKernel choose() {
    ScanKernel kernel = pick();
    System.getLogger(ScanKernels.class.getName())
        .log(
            System.Logger.Level.INFO,
            "scan kernel: {0}{1}",
            kernel.name(),
            vectorModulePresent()
                ? ""
                : " (start the JVM with --add-modules jdk.incubator.vector"
                    + " for the Vector API kernel)");
    return kernel;
  }

  private static ScanKernel pick() {
    String forced = System.getProperty(PROPERTY, "");
    if (forced.equals("scalar") || !vectorModulePresent()) return scalar();
    if (!forced.equals("vector") && !c2Available()) return scalar();
    return load("preferred", 0);
  }

  /**
   * Without C2 (e.g. {@code -XX:TieredStopAtLevel=1}, the {@code java21} Lambda default) the Vector
   * API is interpreted through objects and is far slower than the scalar loops.
   */
  private static boolean c2Available() {
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) return false;
      if (arg.equals("-XX:-UseCompiler") || arg.equals("-Xint")) return false;
    }
    return true;
  }

  private static ScanKernel load(String factory, int bits) {
    try {
      Class<?> type = Class.forName(VECTOR_CLASS);
      return factory.equals("preferred")
          ? (ScanKernel) type.getDeclaredMethod(factory).invoke(null)
          : (ScanKernel) type.getDeclaredMethod(factory, int.class).invoke(null, bits);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("cannot load the Vector API scan kernel: " + e, e);
    }
  }
}
