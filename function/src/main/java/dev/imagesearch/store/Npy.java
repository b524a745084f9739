package dev.imagesearch.store;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.EmbeddingMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files holding an (N, D) matrix of little-endian {@code
 * float16} ({@code <f2}) or {@code float32} ({@code <f4}) in C order: the format {@code np.save}
 * and clip-retrieval write. Header versions 1.0, 2.0 and 3.0 are read; 1.0 is written (2.0 when the
 * header would not fit).
 *
 * <p>Reading streams row by row into an {@link EmbeddingMatrix.Builder} through one reused row
 * buffer, so a loader never holds a second full copy of the matrix.
 *
 * <pre>{@code
 * EmbeddingMatrix m = Npy.readMatrix(in, "index/v1/embeddings.npy");
 * try (Npy.Writer w = Npy.writer(out, Npy.DType.FLOAT16, rows, dim)) { w.add(row); ... }
 * }</pre>
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Element types this project stores. */
  public enum DType {
    FLOAT16("<f2", 2, "float16"),
    FLOAT32("<f4", 4, "float32");

    private final String descr;
    private final int bytes;
    private final String label;

    DType(String descr, int bytes, String label) {
      this.descr = descr;
      this.bytes = bytes;
      this.label = label;
    }

    /** NumPy's name, as recorded in the manifest: {@code float16} or {@code float32}. */
    public String label() {
      return label;
    }

    public int bytes() {
      return bytes;
    }

    /** The type for a manifest's {@code dtype}, or an error naming {@code what}. */
    public static DType ofLabel(String label, String what) {
      for (DType t : values()) {
        if (t.label.equals(label)) {
          return t;
        }
      }
      throw new InvalidIndexException(
          what + ": dtype '" + label + "' is not supported (use float16 or float32)");
    }
  }

  /** What a file's header says: element type and shape (rows, dim). */
  public record Header(DType dtype, int rows, int dim) {
    /** Bytes of data after the header. */
    public long dataBytes() {
      return (long) rows * dim * dtype.bytes();
    }

    /** For messages: {@code "3 x 64 float16"}. */
    public String shape() {
      return rows + " x " + dim + " " + dtype.label();
    }
  }

  /** Reads the header, leaving {@code in} at the first data byte. {@code name} is for errors. */
  public static Header readHeader(InputStream in, String name) {
    try {
      byte[] magic = in.readNBytes(8);
      if (magic.length < 8) {
        throw new InvalidIndexException(name + " is truncated: it ends inside the .npy header");
      }
      for (int i = 0; i < MAGIC.length; i++) {
        if (magic[i] != MAGIC[i]) {
          throw new InvalidIndexException(name + " is not a .npy file (wrong magic bytes)");
        }
      }
      int major = magic[6] & 0xff;
      int length;
      if (major == 1) {
        byte[] len = in.readNBytes(2);
        if (len.length < 2) {
          throw new InvalidIndexException(name + " is truncated: it ends inside the .npy header");
        }
        length = (len[0] & 0xff) | (len[1] & 0xff) << 8;
      } else if (major == 2 || major == 3) {
        byte[] len = in.readNBytes(4);
        if (len.length < 4) {
          throw new InvalidIndexException(name + " is truncated: it ends inside the .npy header");
        }
        long value =
            (len[0] & 0xffL)
                | (len[1] & 0xffL) << 8
                | (len[2] & 0xffL) << 16
                | (len[3] & 0xffL) << 24;
        if (value > 1 << 20) {
          throw new InvalidIndexException(
              name + ": .npy header of " + value + " bytes is too long");
        }
        length = (int) value;
      } else {
        throw new InvalidIndexException(
            name
                + ": .npy format version "
                + major
                + "."
                + (magic[7] & 0xff)
                + " is not supported");
      }
      byte[] headerBytes = in.readNBytes(length);
      if (headerBytes.length < length) {
        throw new InvalidIndexException(name + " is truncated: it ends inside the .npy header");
      }
      return parseHeader(
          new String(
              headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
          name);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static Header parseHeader(String text, String name) {
    Matcher descr = DESCR.matcher(text);
    Matcher fortran = FORTRAN.matcher(text);
    Matcher shape = SHAPE.matcher(text);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new InvalidIndexException(name + ": malformed .npy header " + text.strip());
    }
    DType dtype = null;
    for (DType t : DType.values()) {
      if (t.descr.equals(descr.group(1))) {
        dtype = t;
      }
    }
    if (dtype == null) {
      throw new InvalidIndexException(
          name
              + ": element type '"
              + descr.group(1)
              + "' is not supported (little-endian float16 '<f2' or float32 '<f4')");
    }
    if (fortran.group(1).equals("True")) {
      throw new InvalidIndexException(name + ": Fortran-order arrays are not supported");
    }
    String[] dims = shape.group(1).split(",");
    long[] values = new long[dims.length];
    int count = 0;
    for (String d : dims) {
      if (!d.isBlank()) {
        try {
          values[count++] = Long.parseLong(d.strip().replace("L", ""));
        } catch (NumberFormatException e) {
          throw new InvalidIndexException(name + ": malformed shape (" + shape.group(1) + ")");
        }
      }
    }
    if (count != 2) {
      throw new InvalidIndexException(
          name + ": shape (" + shape.group(1) + ") is not a 2-D matrix (rows, dim)");
    }
    if (values[0] > Integer.MAX_VALUE || values[1] < 1 || values[1] > 65536) {
      throw new InvalidIndexException(name + ": shape (" + shape.group(1) + ") is out of range");
    }
    return new Header(dtype, (int) values[0], (int) values[1]);
  }

  /** Receives rows while a file is read; the array is reused, so copy what you keep. */
  @FunctionalInterface
  public interface RowSink {
    void accept(float[] row);
  }

  /**
   * Reads the rows that follow {@code header} and checks that the file ends right after them.
   * Throws {@link InvalidIndexException} naming the file when it is truncated or has extra bytes.
   */
  public static void readRows(InputStream in, Header header, String name, RowSink sink) {
    int dim = header.dim();
    int width = dim * header.dtype().bytes();
    byte[] buffer = new byte[width];
    float[] row = new float[dim];
    try {
      for (int r = 0; r < header.rows(); r++) {
        int n = in.readNBytes(buffer, 0, width);
        if (n < width) {
          throw new InvalidIndexException(
              name
                  + " is truncated: the header announces "
                  + header.rows()
                  + " rows of "
                  + dim
                  + " "
                  + header.dtype().label()
                  + " values but the data ends in row "
                  + r);
        }
        decode(buffer, header.dtype(), row);
        sink.accept(row);
      }
      long extra = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        extra += n;
      }
      if (extra > 0) {
        throw new InvalidIndexException(
            name
                + " has "
                + extra
                + " bytes after the "
                + header.rows()
                + " rows its header announces");
      }
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** Reads a whole file into a matrix (rows are L2-normalized by the builder). */
  public static EmbeddingMatrix readMatrix(InputStream in, String name) {
    Header header = readHeader(in, name);
    EmbeddingMatrix.Builder builder = EmbeddingMatrix.builder(header.rows(), header.dim());
    readRows(in, header, name, builder::add);
    return builder.build();
  }

  private static void decode(byte[] bytes, DType dtype, float[] row) {
    if (dtype == DType.FLOAT16) {
      for (int j = 0, b = 0; j < row.length; j++, b += 2) {
        row[j] = Float.float16ToFloat((short) ((bytes[b] & 0xff) | (bytes[b + 1] << 8)));
      }
    } else {
      for (int j = 0, b = 0; j < row.length; j++, b += 4) {
        row[j] =
            Float.intBitsToFloat(
                (bytes[b] & 0xff)
                    | (bytes[b + 1] & 0xff) << 8
                    | (bytes[b + 2] & 0xff) << 16
                    | (bytes[b + 3] & 0xff) << 24);
      }
    }
  }

  /** Starts a file of exactly {@code rows} rows of {@code dim} values; the header goes first. */
  public static Writer writer(OutputStream out, DType dtype, int rows, int dim) {
    return new Writer(out, dtype, rows, dim);
  }

  /** Writes a whole matrix. */
  public static void write(OutputStream out, DType dtype, EmbeddingMatrix matrix) {
    try (Writer writer = writer(out, dtype, matrix.rows(), matrix.dim())) {
      for (int i = 0; i < matrix.rows(); i++) {
        writer.add(matrix.row(i));
      }
    }
  }

  /** The header bytes {@code np.save} writes for this type and shape (padded to 64 bytes). */
  static byte[] headerBytes(DType dtype, int rows, int dim) {
    String dict =
        "{'descr': '"
            + dtype.descr
            + "', 'fortran_order': False, 'shape': ("
            + rows
            + ", "
            + dim
            + "), }";
    int prefix = dict.length() + 1 < 65536 - 10 ? 10 : 12;
    int total = prefix + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(padded - total)).append('\n');
    int length = header.length();
    byte[] out = new byte[prefix + length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = (byte) (prefix == 10 ? 1 : 2);
    out[7] = 0;
    out[8] = (byte) length;
    out[9] = (byte) (length >>> 8);
    if (prefix == 12) {
      out[10] = (byte) (length >>> 16);
      out[11] = (byte) (length >>> 24);
    }
    byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, out, prefix, text.length);
    return out;
  }

  /** Streams rows into a .npy file; {@link #close} checks that every announced row was written. */
  public static final class Writer implements AutoCloseable {
    private final OutputStream out;
    private final DType dtype;
    private final int rows;
    private final int dim;
    private final byte[] buffer;
    private int written;

    private Writer(OutputStream out, DType dtype, int rows, int dim) {
      this.out = out;
      this.dtype = dtype;
      this.rows = rows;
      this.dim = dim;
      this.buffer = new byte[dim * dtype.bytes()];
      try {
        out.write(headerBytes(dtype, rows, dim));
      } catch (IOException e) {
        throw new ImageSearchException("cannot write .npy header: " + e.getMessage(), e);
      }
    }

    public Writer add(float[] row) {
      if (row.length != dim) {
        throw new IllegalArgumentException("row has " + row.length + " values, expected " + dim);
      }
      if (written == rows) {
        throw new IllegalStateException("all " + rows + " rows are already written");
      }
      if (dtype == DType.FLOAT16) {
        for (int j = 0, b = 0; j < dim; j++, b += 2) {
          short h = Float.floatToFloat16(row[j]);
          buffer[b] = (byte) h;
          buffer[b + 1] = (byte) (h >>> 8);
        }
      } else {
        for (int j = 0, b = 0; j < dim; j++, b += 4) {
          int bits = Float.floatToRawIntBits(row[j]);
          buffer[b] = (byte) bits;
          buffer[b + 1] = (byte) (bits >>> 8);
          buffer[b + 2] = (byte) (bits >>> 16);
          buffer[b + 3] = (byte) (bits >>> 24);
        }
      }
      try {
        out.write(buffer);
      } catch (IOException e) {
        throw new ImageSearchException(
            "cannot write .npy row " + written + ": " + e.getMessage(), e);
      }
      written++;
      return this;
    }

    /** Flushes (does not close the stream); fails when fewer rows than announced were added. */
    @Override
    public void close() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new ImageSearchException("cannot write .npy file: " + e.getMessage(), e);
      }
      if (written != rows) {
        throw new IllegalStateException(
            "the .npy header announces " + rows + " rows but " + written + " were written");
      }
    }
  }
}
