package dev.imagesearch.search;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.RandomAccess;
import java.util.stream.IntStream;

/**
 * The images of a collection in row order, stored for a million rows in a few arrays rather than a
 * million objects: every key's UTF-8 bytes in one block with offsets, width and height as 16-bit
 * values, each sha256 as 32 bytes. About 44 bytes per image plus its key (a {@code List} of {@link
 * ImageRecord}s with a key-to-row {@code HashMap} took ~230 bytes: 230 MB for a million images on a
 * 256 MB heap). {@link #get} makes an {@link ImageRecord} on demand, for the few rows a page shows.
 *
 * <p>{@link #rowOf} is a binary search over the keys: directly when the rows are in key order (what
 * the indexer writes), else through a sorted permutation of the rows (4 more bytes per row).
 *
 * <pre>{@code
 * ImageRecords records = ImageRecords.builder(2).add("a.jpg", 640, 480, sha).add("b.jpg", 10, 20, sha).build();
 * records.rowOf("b.jpg"); // OptionalInt[1]
 * }</pre>
 */
public final class ImageRecords extends AbstractList<ImageRecord> implements RandomAccess {
  /** Widths and heights are stored as 16-bit values; JPEG and WebP cannot exceed this anyway. */
  public static final int MAX_SIDE = 0xFFFF;

  private static final int SHA_BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();

  private final int size;
  private final byte[] keys;
  private final int[] keyStarts;
  private final char[] widths;
  private final char[] heights;
  private final byte[] shas;

  /** Rows whose sha256 is not 64 lowercase hex digits (e.g. empty in old indexes), kept as is. */
  private final Map<Integer, String> otherShas;

  /** Rows in key order, or null when the rows already are. */
  private final int[] byKey;

  private ImageRecords(ImageRecords r, int[] byKey) {
    this.size = r.size;
    this.keys = r.keys;
    this.keyStarts = r.keyStarts;
    this.widths = r.widths;
    this.heights = r.heights;
    this.shas = r.shas;
    this.otherShas = r.otherShas;
    this.byKey = byKey;
  }

  private ImageRecords withOrder(int[] byKey) {
    return new ImageRecords(this, byKey);
  }

  private ImageRecords(Builder b) {
    this.size = b.size;
    // The builder's arrays are kept when they are full (its size was announced), else trimmed.
    this.keys = b.keys.length == b.keyBytes ? b.keys : Arrays.copyOf(b.keys, b.keyBytes);
    this.keyStarts =
        b.keyStarts.length == b.size + 1 ? b.keyStarts : Arrays.copyOf(b.keyStarts, b.size + 1);
    this.widths = b.widths.length == b.size ? b.widths : Arrays.copyOf(b.widths, b.size);
    this.heights = b.heights.length == b.size ? b.heights : Arrays.copyOf(b.heights, b.size);
    this.shas =
        b.shas.length == b.size * SHA_BYTES ? b.shas : Arrays.copyOf(b.shas, b.size * SHA_BYTES);
    this.otherShas = b.otherShas.isEmpty() ? Map.of() : Map.copyOf(b.otherShas);
    this.byKey = null;
  }

  /** Starts a collection of about {@code expectedRows} images (it grows beyond). */
  public static Builder builder(int expectedRows) {
    return new Builder(expectedRows);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public ImageRecord get(int row) {
    return new ImageRecord(key(row), width(row), height(row), sha256(row));
  }

  public String key(int row) {
    checkRow(row);
    return new String(keys, keyStarts[row], keyStarts[row + 1] - keyStarts[row], UTF_8);
  }

  public int width(int row) {
    return widths[checkRow(row)];
  }

  public int height(int row) {
    return heights[checkRow(row)];
  }

  /** Hex sha256 of the original, as the metadata gave it. */
  public String sha256(int row) {
    checkRow(row);
    String other = otherShas.get(row);
    return other != null ? other : HEX.formatHex(shas, row * SHA_BYTES, (row + 1) * SHA_BYTES);
  }

  /** The row of the image {@code key}, or empty when there is none. */
  public OptionalInt rowOf(String key) {
    byte[] wanted = key.getBytes(UTF_8);
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int row = byKey == null ? mid : byKey[mid];
      int c = compareKey(row, wanted);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return OptionalInt.of(row);
    }
    return OptionalInt.empty();
  }

  /** Bytes this object holds on the heap (arrays and their headers, roughly). */
  public long heapBytes() {
    long arrays =
        keys.length
            + 4L * keyStarts.length
            + 2L * widths.length
            + 2L * heights.length
            + shas.length
            + (byKey == null ? 0 : 4L * byKey.length);
    return arrays + 7 * 16 + 100L * otherShas.size();
  }

  private int compareKey(int row, byte[] wanted) {
    return Arrays.compareUnsigned(
        keys, keyStarts[row], keyStarts[row + 1], wanted, 0, wanted.length);
  }

  private int compareKeys(int a, int b) {
    return Arrays.compareUnsigned(
        keys, keyStarts[a], keyStarts[a + 1], keys, keyStarts[b], keyStarts[b + 1]);
  }

  private int checkRow(int row) {
    if (row < 0 || row >= size) {
      throw new IndexOutOfBoundsException("row " + row + " is outside 0.." + (size - 1));
    }
    return row;
  }

  /** Collects images in row order; arrays grow by half when full. */
  public static final class Builder {
    private int size;
    private int keyBytes;
    private byte[] keys;
    private int[] keyStarts;
    private char[] widths;
    private char[] heights;
    private byte[] shas;
    private final Map<Integer, String> otherShas = new HashMap<>();

    private Builder(int expectedRows) {
      int rows = Math.max(16, expectedRows);
      keys = new byte[rows * 24];
      keyStarts = new int[rows + 1];
      widths = new char[rows];
      heights = new char[rows];
      shas = new byte[rows * SHA_BYTES];
    }

    /**
     * Adds the next row.
     *
     * @throws IllegalArgumentException for an empty key or a side outside 0..{@value MAX_SIDE}
     */
    public Builder add(String key, int width, int height, String sha256) {
      if (key.isEmpty()) throw new IllegalArgumentException("empty key");
      if (width < 0 || width > MAX_SIDE || height < 0 || height > MAX_SIDE) {
        throw new IllegalArgumentException(
            key + ": " + width + " x " + height + " pixels is outside 0.." + MAX_SIDE);
      }
      byte[] utf8 = key.getBytes(UTF_8);
      if (size == widths.length) grow();
      while (keyBytes + utf8.length > keys.length) {
        keys = Arrays.copyOf(keys, Math.max(keys.length + utf8.length, keys.length * 3 / 2));
      }
      System.arraycopy(utf8, 0, keys, keyBytes, utf8.length);
      keyBytes += utf8.length;
      keyStarts[size + 1] = keyBytes;
      widths[size] = (char) width;
      heights[size] = (char) height;
      if (isLowerHex(sha256, 2 * SHA_BYTES)) {
        for (int i = 0; i < SHA_BYTES; i++) {
          shas[size * SHA_BYTES + i] = (byte) HexFormat.fromHexDigits(sha256, 2 * i, 2 * i + 2);
        }
      } else {
        otherShas.put(size, sha256);
      }
      size++;
      return this;
    }

    private void grow() {
      int rows = size + (size >> 1) + 1;
      keyStarts = Arrays.copyOf(keyStarts, rows + 1);
      widths = Arrays.copyOf(widths, rows);
      heights = Arrays.copyOf(heights, rows);
      shas = Arrays.copyOf(shas, rows * SHA_BYTES);
    }

    /**
     * The finished collection.
     *
     * @throws IllegalArgumentException when a key appears twice, naming both lines (1-based)
     */
    public ImageRecords build() {
      ImageRecords inOrder = new ImageRecords(this);
      int unsorted = firstUnsorted(inOrder);
      if (unsorted < 0) return inOrder;
      // Keys out of order: a permutation of the rows sorted by key (ties by row, so a duplicate's
      // lines come out in order).
      int[] byKey = IntStream.range(0, size).toArray();
      mergeSort(inOrder, byKey, new int[size], 0, size);
      for (int i = 1; i < size; i++) {
        if (inOrder.compareKeys(byKey[i - 1], byKey[i]) == 0) {
          throw duplicate(inOrder, byKey[i - 1], byKey[i]);
        }
      }
      return inOrder.withOrder(byKey);
    }

    /** Sorts {@code rows[from, to)} by key then row; {@code tmp} is scratch of the same length. */
    private static void mergeSort(ImageRecords records, int[] rows, int[] tmp, int from, int to) {
      if (to - from < 2) return;
      int mid = (from + to) >>> 1;
      mergeSort(records, rows, tmp, from, mid);
      mergeSort(records, rows, tmp, mid, to);
      if (compareThenRow(records, rows[mid - 1], rows[mid]) <= 0) return;
      System.arraycopy(rows, from, tmp, from, to - from);
      for (int i = from, a = from, b = mid; i < to; i++) {
        boolean left = b >= to || (a < mid && compareThenRow(records, tmp[a], tmp[b]) <= 0);
        rows[i] = left ? tmp[a++] : tmp[b++];
      }
    }

    /** First row whose key is not above the previous one, -1 when all ascend strictly. */
    private int firstUnsorted(ImageRecords records) {
      for (int i = 1; i < size; i++) {
        int c = records.compareKeys(i - 1, i);
        if (c == 0) throw duplicate(records, i - 1, i);
        if (c > 0) return i;
      }
      return -1;
    }

    private static int compareThenRow(ImageRecords records, int a, int b) {
      int c = records.compareKeys(a, b);
      return c != 0 ? c : Integer.compare(a, b);
    }

    private static IllegalArgumentException duplicate(ImageRecords records, int first, int second) {
      return new IllegalArgumentException(
          "'"
              + records.key(first)
              + "' twice (lines "
              + (first + 1)
              + " and "
              + (second + 1)
              + ")");
    }

    private static boolean isLowerHex(String s, int length) {
      if (s.length() != length) return false;
      for (int i = 0; i < length; i++) {
        char c = s.charAt(i);
        if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return false;
      }
      return true;
    }
  }
}
