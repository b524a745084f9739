package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ImageRecordsTest {
  private static final String SHA_A = "00ff" + "0123456789abcdef".repeat(3) + "deadbeefcafe";
  private static final String SHA_B = "f".repeat(64);

  @Test
  void givesBackWhatWasAddedRowByRow() {
    ImageRecords r =
        ImageRecords.builder(1)
            .add("a/ü.png", 10, 20, SHA_A)
            .add("b.jpg", 65_535, 0, SHA_B)
            .add("c.webp", 1, 2, "")
            .add("d.jpg", 3, 4, "ABC")
            .build();

    assertEquals(
        List.of(
            new ImageRecord("a/ü.png", 10, 20, SHA_A),
            new ImageRecord("b.jpg", 65_535, 0, SHA_B),
            new ImageRecord("c.webp", 1, 2, ""),
            new ImageRecord("d.jpg", 3, 4, "ABC")),
        r);
    assertEquals(4, r.size());
  }

  @Test
  void findsRowsByKeyInOrderAndOutOfOrder() {
    ImageRecords sorted =
        ImageRecords.builder(3)
            .add("a", 1, 1, SHA_A)
            .add("b", 1, 1, SHA_A)
            .add("é", 1, 1, SHA_A)
            .build();
    ImageRecords shuffled =
        ImageRecords.builder(3)
            .add("zebra.jpg", 1, 1, SHA_A)
            .add("ant.jpg", 1, 1, SHA_A)
            .add("é.jpg", 1, 1, SHA_A)
            .add("cat.jpg", 1, 1, SHA_A)
            .build();

    assertEquals(OptionalInt.of(2), sorted.rowOf("é"));
    assertEquals(OptionalInt.of(0), sorted.rowOf("a"));
    assertEquals(OptionalInt.empty(), sorted.rowOf("c"));
    assertEquals(OptionalInt.of(0), shuffled.rowOf("zebra.jpg"));
    assertEquals(OptionalInt.of(1), shuffled.rowOf("ant.jpg"));
    assertEquals(OptionalInt.of(2), shuffled.rowOf("é.jpg"));
    assertEquals(OptionalInt.of(3), shuffled.rowOf("cat.jpg"));
    assertEquals(OptionalInt.empty(), shuffled.rowOf("dog.jpg"));
    assertEquals(OptionalInt.empty(), ImageRecords.builder(0).build().rowOf("a"));
  }

  @Test
  void refusesDuplicateKeysNamingBothLines() {
    IllegalArgumentException adjacent =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImageRecords.builder(2).add("a", 1, 1, "").add("a", 1, 1, "").build());
    assertEquals("'a' twice (lines 1 and 2)", adjacent.getMessage());
    IllegalArgumentException apart =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ImageRecords.builder(2)
                    .add("b", 1, 1, "")
                    .add("x", 1, 1, "")
                    .add("a", 1, 1, "")
                    .add("x", 1, 1, "")
                    .build());
    assertEquals("'x' twice (lines 2 and 4)", apart.getMessage());
  }

  @Test
  void refusesSidesItCannotStore() {
    ImageRecords.Builder b = ImageRecords.builder(1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.add("huge.png", 70_000, 10, ""));
    assertEquals("huge.png: 70000 x 10 pixels is outside 0..65535", e.getMessage());
  }

  @Test
  void aMillionRecordsTakeUnder64MegabytesOfHeap() {
    // Keys like the indexer's ("photos/0000000.jpg", 18 bytes), real-looking hashes. The count is
    // of the arrays kept; the whole-process figure is in docs/benchmarks.md (MatrixFootprint).
    ImageRecords.Builder b = ImageRecords.builder(1_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      b.add(String.format("photos/%07d.jpg", i), 640, 480, SHA_A);
    }
    ImageRecords r = b.build();

    assertTrue(r.heapBytes() < 64L << 20, "heap bytes " + r.heapBytes());
    assertEquals(new ImageRecord("photos/0765432.jpg", 640, 480, SHA_A), r.get(765_432));
    assertEquals(OptionalInt.of(999_999), r.rowOf("photos/0999999.jpg"));
  }
}
