package dev.imagesearch.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;

/**
 * A bias-free linear projection {@code [out, in]} read from a {@code .safetensors} file, as the
 * sentence-transformers {@code Dense} module stores it ({@code 2_Dense/model.safetensors}: {@code
 * linear.weight}, float32 {@code [512, 768]} for {@code clip-ViT-B-32-multilingual-v1}).
 *
 * <p>The format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian data.
 *
 * <pre>{@code
 * Projection p = Projection.read(Path.of("text_projection_multilingual.safetensors"), 512);
 * float[] out = p.apply(pooled); // 512 values from 768
 * }</pre>
 */
public final class Projection {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 1 << 20;

  private final float[][] weight;

  Projection(float[][] weight) {
    this.weight = weight;
  }

  /**
   * Reads the one float32 matrix of {@code file} (or its {@code linear.weight}) with {@code out}
   * rows.
   */
  public static Projection read(Path file, int out) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER) {
        throw new ImageSearchException(
            file + " is not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, 8);
      JsonNode tensors = JSON.readTree(header.array());
      JsonNode tensor = tensors.get("linear.weight");
      if (tensor == null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getKey().equals("__metadata__")) {
            tensor = e.getValue();
            break;
          }
        }
      }
      if (tensor == null
          || !tensor.path("dtype").asText().equals("F32")
          || tensor.path("shape").size() != 2
          || tensor.path("shape").get(0).asInt() != out) {
        throw new ImageSearchException(
            file + " holds no float32 [" + out + ", hidden] projection: " + tensors);
      }
      int rows = out;
      int cols = tensor.path("shape").get(1).asInt();
      long begin = tensor.path("data_offsets").get(0).asLong();
      ByteBuffer data =
          ByteBuffer.allocate(rows * cols * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, data, 8 + headerLength + begin);
      data.flip();
      float[][] weight = new float[rows][cols];
      for (float[] row : weight) {
        data.asFloatBuffer().get(row);
        data.position(data.position() + cols * Float.BYTES);
      }
      return new Projection(weight);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read projection " + file + ": " + e.getMessage(), e);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("file ends early");
      }
    }
  }

  /** Input width. */
  public int in() {
    return weight[0].length;
  }

  /** Output width. */
  public int out() {
    return weight.length;
  }

  /** {@code weight · x}. */
  public float[] apply(float[] x) {
    if (x.length != in()) {
      throw new ImageSearchException("projection expects " + in() + " values, got " + x.length);
    }
    float[] y = new float[weight.length];
    for (int i = 0; i < weight.length; i++) {
      float sum = 0;
      float[] row = weight[i];
      for (int j = 0; j < row.length; j++) {
        sum += row[j] * x[j];
      }
      y[i] = sum;
    }
    return y;
  }
}
