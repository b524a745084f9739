package dev.imagesearch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.ImageRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metadata.jsonl}: line i describes row i of the embedding matrix, as {@code {"key":
 * "cat.jpg", "width": 640, "height": 480, "sha256": "..."}}. Other fields are ignored when read, so
 * the indexer may add some.
 *
 * <pre>{@code
 * List<ImageRecord> records = MetadataJsonl.read(in, "index/v1/metadata.jsonl");
 * }</pre>
 */
public final class MetadataJsonl {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MetadataJsonl() {}

  /** Reads every line; {@code name} names the file in errors ("metadata.jsonl line 7: ..."). */
  public static List<ImageRecord> read(InputStream in, String name) {
    return read(in, name, 1024);
  }

  /** Like {@link #read(InputStream, String)}, presizing the list for {@code expectedRows}. */
  public static List<ImageRecord> read(InputStream in, String name, int expectedRows) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<ImageRecord> records = new ArrayList<>(Math.max(16, expectedRows));
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16)) {
      int number = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        number++;
        if (line.isBlank()) {
          throw new InvalidIndexException(name + " line " + number + " is empty");
        }
        records.add(parse(line, name, number));
      }
      return records;
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new InvalidIndexException(name + " is not valid UTF-8", e);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static ImageRecord parse(String line, String name, int number) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidIndexException(
          name + " line " + number + " is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidIndexException(name + " line " + number + " is not a JSON object");
    }
    JsonNode key = node.get("key");
    JsonNode width = node.get("width");
    JsonNode height = node.get("height");
    JsonNode sha = node.get("sha256");
    if (key == null || !key.isTextual() || key.asText().isEmpty()) {
      throw new InvalidIndexException(name + " line " + number + ": missing \"key\"");
    }
    if (width == null || !width.canConvertToInt() || height == null || !height.canConvertToInt()) {
      throw new InvalidIndexException(
          name
              + " line "
              + number
              + " ("
              + key.asText()
              + "): missing integer \"width\"/\"height\"");
    }
    return new ImageRecord(
        key.asText(),
        width.asInt(),
        height.asInt(),
        sha == null || sha.isNull() ? "" : sha.asText());
  }

  /** Writes one line per record, in order, ending with a newline. */
  public static void write(OutputStream out, List<ImageRecord> records) {
    try {
      Writer writer =
          new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      for (ImageRecord record : records) {
        writer.write(line(record));
        writer.write('\n');
      }
      writer.flush();
    } catch (IOException e) {
      throw new ImageSearchException("cannot write metadata.jsonl: " + e.getMessage(), e);
    }
  }

  /** One record as a JSON line (no newline). */
  public static String line(ImageRecord record) {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", record.key());
    node.put("width", record.width());
    node.put("height", record.height());
    node.put("sha256", record.sha256());
    return node.toString();
  }
}
