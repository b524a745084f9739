package dev.imagesearch.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.search.ImageRecords;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
  public static ImageRecords read(InputStream in, String name) {
    return read(in, name, 1024);
  }

  /**
   * Like {@link #read(InputStream, String)}, presizing the list for {@code expectedRows}. Parses
   * with Jackson's streaming parser (no tree, no line strings), so loading 50,000 lines leaves
   * little garbage; each object must start on its own line, as row i is line i.
   */
  public static ImageRecords read(InputStream in, String name, int expectedRows) {
    ImageRecords.Builder records = ImageRecords.builder(expectedRows);
    int done = 0;
    try (JsonParser parser = JSON.getFactory().createParser(in)) {
      for (JsonToken token; (token = parser.nextToken()) != null; ) {
        int line = done + 1;
        int at = parser.currentTokenLocation().getLineNr();
        if (at != line) {
          throw new InvalidIndexException(
              name + " line " + line + " is empty or holds more than one JSON value");
        }
        if (token != JsonToken.START_OBJECT) {
          throw new InvalidIndexException(name + " line " + line + " is not a JSON object");
        }
        parseObject(parser, name, line, records);
        done++;
      }
      return records.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidIndexException(name + " lists " + e.getMessage());
    } catch (JsonProcessingException e) {
      // The object of row i starts on line i; an error inside it belongs to that line.
      throw new InvalidIndexException(
          name + " line " + (done + 1) + " is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** Reads the fields of one object (the parser is at its START_OBJECT), skipping others. */
  private static void parseObject(
      JsonParser parser, String name, int line, ImageRecords.Builder records) throws IOException {
    String key = null;
    String sha = "";
    int width = -1;
    int height = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "key" -> key = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "width" -> width = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
        case "height" -> height = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
        case "sha256" -> sha = value == JsonToken.VALUE_STRING ? parser.getText() : "";
        default -> parser.skipChildren();
      }
    }
    if (key == null || key.isEmpty()) {
      throw new InvalidIndexException(name + " line " + line + ": missing \"key\"");
    }
    if (width < 0 || height < 0) {
      throw new InvalidIndexException(
          name + " line " + line + " (" + key + "): missing integer \"width\"/\"height\"");
    }
    try {
      records.add(key, width, height, sha);
    } catch (IllegalArgumentException e) {
      throw new InvalidIndexException(name + " line " + line + ": " + e.getMessage());
    }
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
