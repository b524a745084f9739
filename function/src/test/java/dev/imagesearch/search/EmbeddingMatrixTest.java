package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagesearch.search.EmbeddingMatrix.Precision;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EmbeddingMatrixTest {

  @Test
  void int8RowIsTheNormalizedDequantizedRow() {
    // (3, 0, 4) normalizes to (0.6, 0, 0.8); codes round(x * 127 / 0.8) = (95, 0, 127)
    // (95.25 rounds to 95); the row is the codes over their norm √(95² + 127²) = 158.6001:
    // (0.598991, 0, 0.800756).
    EmbeddingMatrix m =
        EmbeddingMatrix.builder(1, 3, Precision.INT8).add(new float[] {3, 0, 4}).build();

    assertArrayEquals(new float[] {0.598991f, 0f, 0.800756f}, m.row(0), 1e-6f);
  }

  @Test
  void int16RowIsWithinRoundingOfTheExactRow() {
    // Codes round(0.6 * 32767 / 0.8) = 24575 (24575.25) and 32767: error below 2e-5.
    EmbeddingMatrix m = EmbeddingMatrix.builder(1, 3).add(new float[] {3, 0, 4}).build();

    assertEquals(Precision.INT16, m.precision());
    assertArrayEquals(new float[] {0.6f, 0f, 0.8f}, m.row(0), 2e-5f);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void rowsSurviveBlockAndChunkBoundaries(Precision precision) {
    // 130 rows = blocks of 64, 64 and 2; dim 7 leaves a remainder after the 4-wide passes.
    Random rnd = new Random(3);
    float[][] rows = new float[130][7];
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(130, 7, precision);
    for (float[] row : rows) {
      for (int j = 0; j < 7; j++) row[j] = (float) rnd.nextGaussian();
      b.add(row);
    }
    EmbeddingMatrix m = b.build();
    float tolerance = precision == Precision.INT8 ? 0.01f : 1e-4f;

    for (int i = 0; i < 130; i++) assertArrayEquals(unit(rows[i]), m.row(i), tolerance);
    assertEquals(130, m.rows());
    assertEquals(7, m.dim());
    // Codes are padded to 3 whole blocks: 3 * 64 * 7 values.
    assertEquals(3L * 64 * 7 * (precision == Precision.INT8 ? 1 : 2), m.offHeapBytes());
  }

  @Test
  void precisionFollowsTheSize() {
    assertEquals(Precision.INT16, Precision.forSize(50_000, 512));
    assertEquals(Precision.INT16, Precision.forSize(262_144, 512)); // exactly 256 MB
    assertEquals(Precision.INT8, Precision.forSize(262_145, 512));
    assertEquals(Precision.INT8, Precision.forSize(1_000_000, 512));
  }

  @Test
  void zeroRowStaysZeroAndScoresZero() {
    EmbeddingMatrix m =
        EmbeddingMatrix.builder(2, 2).add(new float[] {0, 0}).add(new float[] {0, 5}).build();

    assertArrayEquals(new float[] {0, 0}, m.row(0));
    SearchResult r = new Searcher(m).search(new float[] {0, 1}, 2, 0);
    assertEquals(1, r.hits().get(0).row());
    assertEquals(0f, r.hits().get(1).score());
  }

  @Test
  void badRowsAreRefusedWithTheRowAndPosition() {
    EmbeddingMatrix.Builder b = EmbeddingMatrix.builder(2, 3).add(new float[] {1, 2, 3});

    assertEquals(
        "row has 2 values, expected 3",
        assertThrows(IllegalArgumentException.class, () -> b.add(new float[] {1, 2})).getMessage());
    assertEquals(
        "row 1 has a non-finite value at position 2: NaN",
        assertThrows(IllegalArgumentException.class, () -> b.add(new float[] {1, 2, Float.NaN}))
            .getMessage());
    assertEquals(
        "matrix has 1 rows, expected 2",
        assertThrows(IllegalStateException.class, b::build).getMessage());
    EmbeddingMatrix m = b.add(new float[] {0, 0, 1}).build();
    assertEquals(
        "row 2 is outside 0..1",
        assertThrows(IndexOutOfBoundsException.class, () -> m.row(2)).getMessage());
  }

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) n += x * x;
    float[] out = new float[v.length];
    for (int j = 0; j < v.length; j++) out[j] = (float) (v[j] / Math.sqrt(n));
    return out;
  }
}
