package dev.imagesearch.search;

import static dev.imagesearch.search.EmbeddingMatrix.BLOCK;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The scan kernel written with the incubating Vector API: for each group of four float vectors of
 * rows, it keeps four accumulators in registers across all dimensions, and per dimension broadcasts
 * {@code q[j]}, widens the codes of those rows to floats and adds with FMA.
 *
 * <p>This class is a template, never loaded under its own name: {@link VectorKernels} defines one
 * hidden class per vector width from its bytes, with that width's species as class data. The Vector
 * API compiles to SIMD only when C2 sees the species as constants, which static finals are, while a
 * species held in an instance field or passed as an argument is not (measured: 100-400 ms instead
 * of ~2 ms per 50,000 rows). A hidden class per width gives constants from one copy of the code.
 */
final class VectorScanKernel implements ScanKernel {
  private static final VectorSpecies<Float> F;
  private static final VectorSpecies<Byte> B;
  private static final VectorSpecies<Short> S;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  static {
    try {
      List<?> species = MethodHandles.classData(MethodHandles.lookup(), "_", List.class);
      @SuppressWarnings("unchecked")
      VectorSpecies<Float> f = (VectorSpecies<Float>) species.get(0);
      @SuppressWarnings("unchecked")
      VectorSpecies<Byte> b = (VectorSpecies<Byte>) species.get(1);
      @SuppressWarnings("unchecked")
      VectorSpecies<Short> s = (VectorSpecies<Short>) species.get(2);
      F = f;
      B = b;
      S = s;
    } catch (IllegalAccessException | RuntimeException e) {
      throw new ExceptionInInitializerError(
          "VectorScanKernel is a template; load it through VectorKernels: " + e);
    }
  }

  @Override
  public String name() {
    return "vector-" + F.vectorBitSize();
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public void finish(float[] scores, float[] invNorms, int first, float[] summary) {
    FloatVector sum = FloatVector.zero(F);
    FloatVector squares = FloatVector.zero(F);
    FloatVector min = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    for (int r = 0; r < BLOCK; r += F.length()) {
      FloatVector s =
          FloatVector.fromArray(F, scores, r).mul(FloatVector.fromArray(F, invNorms, first + r));
      s.intoArray(scores, r);
      sum = sum.add(s);
      squares = s.fma(s, squares);
      min = min.min(s);
      max = max.max(s);
    }
    summary[0] = sum.reduceLanes(VectorOperators.ADD);
    summary[1] = squares.reduceLanes(VectorOperators.ADD);
    summary[2] = min.reduceLanes(VectorOperators.MIN);
    summary[3] = max.reduceLanes(VectorOperators.MAX);
  }

  /**
   * Four float vectors of rows at a time. The code vector is the narrowest that holds {@code lanes}
   * codes (at least 64 bits), so it may hold the codes of {@code parts} accumulators: those loads
   * have the same address and C2 merges them.
   */
  // int8Group and int16Group differ only in the codes' type (the vector species and the stride):
  // the species must be constants for C2, so each loop has its own copy.
  @Override
  public void accumulateInt8(float[] q, MemorySegment codes, long offset, float[] acc, int dim) {
    for (int g = 0; g < BLOCK; g += 4 * F.length()) int8Group(q, codes, offset, acc, dim, g);
  }

  private static void int8Group(
      float[] q, MemorySegment codes, long offset, float[] acc, int dim, int g) {
    int lanes = F.length();
    FloatVector a0 = FloatVector.fromArray(F, acc, g);
    FloatVector a1 = FloatVector.fromArray(F, acc, g + lanes);
    FloatVector a2 = FloatVector.fromArray(F, acc, g + 2 * lanes);
    FloatVector a3 = FloatVector.fromArray(F, acc, g + 3 * lanes);
    long o = offset + g;
    for (int j = 0; j < dim; j++, o += BLOCK) {
      FloatVector qj = FloatVector.broadcast(F, q[j]);
      a0 = widenBytes(codes, o, 0).fma(qj, a0);
      a1 = widenBytes(codes, o, 1).fma(qj, a1);
      a2 = widenBytes(codes, o, 2).fma(qj, a2);
      a3 = widenBytes(codes, o, 3).fma(qj, a3);
    }
    a0.intoArray(acc, g);
    a1.intoArray(acc, g + lanes);
    a2.intoArray(acc, g + 2 * lanes);
    a3.intoArray(acc, g + 3 * lanes);
  }

  @Override
  public void accumulateInt16(float[] q, MemorySegment codes, long offset, float[] acc, int dim) {
    for (int g = 0; g < BLOCK; g += 4 * F.length()) int16Group(q, codes, offset, acc, dim, g);
  }

  private static void int16Group(
      float[] q, MemorySegment codes, long offset, float[] acc, int dim, int g) {
    int lanes = F.length();
    FloatVector a0 = FloatVector.fromArray(F, acc, g);
    FloatVector a1 = FloatVector.fromArray(F, acc, g + lanes);
    FloatVector a2 = FloatVector.fromArray(F, acc, g + 2 * lanes);
    FloatVector a3 = FloatVector.fromArray(F, acc, g + 3 * lanes);
    long o = offset + 2L * g;
    for (int j = 0; j < dim; j++, o += 2 * BLOCK) {
      FloatVector qj = FloatVector.broadcast(F, q[j]);
      a0 = widenShorts(codes, o, 0).fma(qj, a0);
      a1 = widenShorts(codes, o, 1).fma(qj, a1);
      a2 = widenShorts(codes, o, 2).fma(qj, a2);
      a3 = widenShorts(codes, o, 3).fma(qj, a3);
    }
    a0.intoArray(acc, g);
    a1.intoArray(acc, g + lanes);
    a2.intoArray(acc, g + 2 * lanes);
    a3.intoArray(acc, g + 3 * lanes);
  }

  /** The codes of accumulator {@code k} (rows from byte {@code o + k * lanes}) as floats. */
  private static FloatVector widenBytes(MemorySegment codes, long o, int k) {
    int parts = B.length() / F.length();
    int part = k % parts;
    ByteVector v =
        ByteVector.fromMemorySegment(B, codes, o + (long) (k - part) * F.length(), NATIVE);
    return (FloatVector) v.convertShape(VectorOperators.B2F, F, part);
  }

  /** The codes of accumulator {@code k} (rows from byte {@code o + 2 * k * lanes}) as floats. */
  private static FloatVector widenShorts(MemorySegment codes, long o, int k) {
    int parts = S.length() / F.length();
    int part = k % parts;
    ShortVector v =
        ShortVector.fromMemorySegment(S, codes, o + 2L * (k - part) * F.length(), NATIVE);
    return (FloatVector) v.convertShape(VectorOperators.S2F, F, part);
  }
}
