package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagesearch.search.EmbeddingMatrix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NpyTest {
  /**
   * The exact bytes {@code np.save(f, np.array([[1, 0.5, -2], [0, 0.25, 65504]], dtype='<f2'))}
   * writes with NumPy 2.4: a version 1.0 header of 118 bytes (0x76), padded with spaces (NumPy
   * leaves room for the shape to grow) so the data starts at byte 128.
   */
  static byte[] numpyFloat16File() {
    String dict = "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }";
    String header = dict + " ".repeat(118 - dict.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0});
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    // 1.0 = 0x3c00, 0.5 = 0x3800, -2.0 = 0xc000, 0 = 0x0000, 0.25 = 0x3400, 65504 = 0x7bff
    out.writeBytes(HexFormat.of().parseHex("003c003800c000000034ff7b"));
    return out.toByteArray();
  }

  private static List<float[]> rows(byte[] file) {
    var in = new ByteArrayInputStream(file);
    Npy.Header header = Npy.readHeader(in, "test.npy");
    List<float[]> rows = new ArrayList<>();
    Npy.readRows(in, header, "test.npy", row -> rows.add(row.clone()));
    return rows;
  }

  @Test
  void readsWhatNumpyWrites() {
    byte[] file = numpyFloat16File();
    assertEquals(140, file.length);
    Npy.Header header = Npy.readHeader(new ByteArrayInputStream(file), "test.npy");

    assertEquals(new Npy.Header(Npy.DType.FLOAT16, 2, 3), header);
    List<float[]> rows = rows(file);
    assertArrayEquals(new float[] {1f, 0.5f, -2f}, rows.get(0));
    assertArrayEquals(new float[] {0f, 0.25f, 65504f}, rows.get(1));
  }

  @Test
  void readsNumpyFloat32AndVersion2Headers() {
    // np.save of [[1, 0.5, -2]] as '<f4', with the header re-wrapped as version 2.0 (4-byte length)
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }";
    String header = dict + " ".repeat(116 - dict.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 116, 0, 0, 0});
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(HexFormat.of().parseHex("0000803f0000003f000000c0"));

    assertArrayEquals(new float[] {1f, 0.5f, -2f}, rows(out.toByteArray()).get(0));
  }

  @Test
  void writesTheHeaderNumpyExpects() {
    byte[] header = Npy.headerBytes(Npy.DType.FLOAT16, 50000, 512);
    String text = new String(header, 10, header.length - 10, StandardCharsets.ISO_8859_1);

    assertEquals(0, header.length % 64);
    assertEquals(1, header[6]);
    assertEquals(header.length - 10, (header[8] & 0xff) | (header[9] & 0xff) << 8);
    assertEquals("{'descr': '<f2', 'fortran_order': False, 'shape': (50000, 512), }", text.strip());
    assertEquals('\n', text.charAt(text.length() - 1));
  }

  @Test
  void float16AndFloat32RoundTrip() {
    float[][] data = {{0.1f, -0.7f, 0.3f, 0f}, {1f, 2f, 3f, 4f}, {-1e-3f, 5e-2f, 0.99f, -0.25f}};
    for (Npy.DType dtype : Npy.DType.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (Npy.Writer writer = Npy.writer(out, dtype, data.length, 4)) {
        for (float[] row : data) {
          writer.add(row);
        }
      }
      List<float[]> back = rows(out.toByteArray());
      for (int i = 0; i < data.length; i++) {
        for (int j = 0; j < 4; j++) {
          // float16 keeps 11 significant bits: relative error <= 2^-11
          float tolerance = dtype == Npy.DType.FLOAT16 ? Math.abs(data[i][j]) / 2048f + 1e-7f : 0f;
          assertEquals(data[i][j], back.get(i)[j], tolerance, dtype + " row " + i + " col " + j);
        }
      }
    }
  }

  @Test
  void readMatrixNormalizesRows() {
    EmbeddingMatrix m = Npy.readMatrix(new ByteArrayInputStream(numpyFloat16File()), "test.npy");
    // row 0 = (1, 0.5, -2) / sqrt(1 + 0.25 + 4) = / 2.2913
    float[] row = m.row(0);
    assertEquals(1 / 2.2912878f, row[0], 0.01f);
    assertEquals(-2 / 2.2912878f, row[2], 0.01f); // loose: the matrix may store rows compactly
  }

  @Test
  void truncatedFilesNameTheFileAndTheRow() {
    byte[] file = numpyFloat16File();
    byte[] truncated = Arrays.copyOf(file, file.length - 1);
    var e = assertThrows(InvalidIndexException.class, () -> rows(truncated));
    assertEquals(
        "test.npy is truncated: the header announces 2 rows of 3 float16 values but the data ends"
            + " in row 1",
        e.getMessage());

    var inHeader =
        assertThrows(
            InvalidIndexException.class,
            () -> Npy.readHeader(new ByteArrayInputStream(Arrays.copyOf(file, 50)), "x.npy"));
    assertEquals("x.npy is truncated: it ends inside the .npy header", inHeader.getMessage());
  }

  @Test
  void extraBytesAndForeignFilesAreRefused() {
    byte[] file = numpyFloat16File();
    byte[] longer = Arrays.copyOf(file, file.length + 3);
    assertEquals(
        "test.npy has 3 bytes after the 2 rows its header announces",
        assertThrows(InvalidIndexException.class, () -> rows(longer)).getMessage());

    byte[] png = "\u0089PNG\r\n\u001a\n....".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(
        "test.npy is not a .npy file (wrong magic bytes)",
        assertThrows(InvalidIndexException.class, () -> rows(png)).getMessage());

    byte[] bigEndian =
        new String(file, StandardCharsets.ISO_8859_1)
            .replace("'<f2'", "'>f2'")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(
        "test.npy: element type '>f2' is not supported (little-endian float16 '<f2' or float32"
            + " '<f4')",
        assertThrows(InvalidIndexException.class, () -> rows(bigEndian)).getMessage());
  }
}
