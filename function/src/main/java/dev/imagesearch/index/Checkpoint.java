package dev.imagesearch.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * The append-only record of what this run (and an interrupted earlier one) has embedded, so a crash
 * or Ctrl-C loses at most the batch in flight. One JSON line per image after a header line naming
 * the model; each batch is appended and forced to disk ({@code fsync}) before the run moves on.
 *
 * <pre>{@code
 * {"format":"image-search-checkpoint/1","model_id":"tiny-clip","dim":64}
 * {"key":"cat.jpg","sha256":"...","width":640,"height":480,"f16":"<base64 little-endian float16>"}
 * }</pre>
 *
 * <p>Opening reads the rows of an earlier run when the header names the same model and dimension,
 * and discards the file otherwise. A torn last line (the process died inside a write) is cut off,
 * so appends continue on a clean line boundary. The indexer deletes the file after a successful
 * publish.
 */
final class Checkpoint implements AutoCloseable {
  static final String FORMAT = "image-search-checkpoint/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;
  private final List<EmbeddedRow> resumed;

  private Checkpoint(Path file, FileChannel channel, List<EmbeddedRow> resumed) {
    this.file = file;
    this.channel = channel;
    this.resumed = resumed;
  }

  /** Opens (or starts) the checkpoint at {@code file} for a model. */
  static Checkpoint open(Path file, String modelId, int dim) {
    List<EmbeddedRow> rows = new ArrayList<>();
    long goodBytes = readExisting(file, modelId, dim, rows);
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      if (goodBytes < 0) {
        channel.truncate(0);
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT).put("model_id", modelId).put("dim", dim);
        writeFully(channel, (header + "\n").getBytes(StandardCharsets.UTF_8));
        channel.force(true);
      } else {
        channel.truncate(goodBytes);
      }
      channel.position(channel.size());
      return new Checkpoint(file, channel, Collections.unmodifiableList(rows));
    } catch (IOException e) {
      throw new ImageSearchException("cannot open checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads rows of an earlier run into {@code rows}; returns the length of the valid prefix, or -1
   * when the file is absent or belongs to another model (start afresh).
   */
  private static long readExisting(Path file, String modelId, int dim, List<EmbeddedRow> rows) {
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file)) {
        return -1;
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
    int start = 0;
    long good = -1;
    boolean header = true;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      try {
        JsonNode node = JSON.readTree(line);
        if (header) {
          if (!FORMAT.equals(node.path("format").asText())
              || !modelId.equals(node.path("model_id").asText())
              || node.path("dim").asInt() != dim) {
            return -1;
          }
          header = false;
        } else {
          rows.add(parseRow(node, dim));
        }
      } catch (IOException | RuntimeException e) {
        break; // a damaged line: keep what came before it
      }
      good = i + 1;
      start = i + 1;
    }
    return header ? -1 : good;
  }

  private static EmbeddedRow parseRow(JsonNode node, int dim) {
    byte[] raw = Base64.getDecoder().decode(node.get("f16").asText());
    if (raw.length != dim * 2) {
      throw new IllegalArgumentException("row of " + raw.length + " bytes");
    }
    short[] half = new short[dim];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(half);
    return new EmbeddedRow(
        node.get("key").asText(),
        node.get("sha256").asText(),
        node.get("width").asInt(),
        node.get("height").asInt(),
        half);
  }

  /** Rows an earlier, interrupted run embedded with the same model. */
  List<EmbeddedRow> resumed() {
    return resumed;
  }

  /** Appends a finished batch and forces it to disk before returning. */
  synchronized void append(List<EmbeddedRow> batch) {
    StringBuilder text = new StringBuilder();
    for (EmbeddedRow row : batch) {
      ByteBuffer raw = ByteBuffer.allocate(row.dim() * 2).order(ByteOrder.LITTLE_ENDIAN);
      raw.asShortBuffer().put(row.half());
      ObjectNode node = JSON.createObjectNode();
      node.put("key", row.key())
          .put("sha256", row.sha256())
          .put("width", row.width())
          .put("height", row.height())
          .put("f16", Base64.getEncoder().encodeToString(raw.array()));
      text.append(node).append('\n');
    }
    try {
      writeFully(channel, text.toString().getBytes(StandardCharsets.UTF_8));
      channel.force(false);
    } catch (IOException e) {
      throw new ImageSearchException(
          "cannot append to checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Closes and removes the file (after the index that holds these rows is published). */
  void delete() {
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new ImageSearchException("cannot delete checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new ImageSearchException("cannot close checkpoint " + file + ": " + e.getMessage(), e);
    }
  }
}
