package dev.imagesearch.search;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.List;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Makes {@link VectorScanKernel}s, one hidden class per width (see there why). With {@link
 * VectorScanKernel}, the only code that touches {@code jdk.incubator.vector}; {@link ScanKernels}
 * calls it by reflection, and only when the JVM resolved that module.
 */
final class VectorKernels {
  private VectorKernels() {}

  /**
   * The kernel for float vectors of {@code bits} bits (64, 128, 256 or 512; 4 vectors of 16 floats
   * cover a block of 64 rows, so wider would not fit). Codes are loaded in vectors of at least 64
   * bits, the narrowest the API has.
   */
  static ScanKernel ofWidth(int bits) {
    if (bits != 64 && bits != 128 && bits != 256 && bits != 512) {
      throw new IllegalArgumentException("no vector kernel for " + bits + "-bit vectors");
    }
    VectorSpecies<Float> f = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits));
    VectorSpecies<Byte> b =
        ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(64, bits / 4)));
    VectorSpecies<Short> s =
        ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(64, bits / 2)));
    try (InputStream in = VectorKernels.class.getResourceAsStream("VectorScanKernel.class")) {
      if (in == null)
        throw new IllegalStateException("VectorScanKernel.class is not on the class path");
      MethodHandles.Lookup kernel =
          MethodHandles.lookup()
              .defineHiddenClassWithClassData(in.readAllBytes(), List.of(f, b, s), true);
      return (ScanKernel) kernel.lookupClass().getDeclaredConstructor().newInstance();
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot define the " + bits + "-bit vector kernel: " + e, e);
    }
  }

  /** The kernel for this platform's preferred float vector width, capped at 512 bits. */
  static ScanKernel preferred() {
    int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    return ofWidth(Math.max(64, Math.min(512, bits)));
  }
}
