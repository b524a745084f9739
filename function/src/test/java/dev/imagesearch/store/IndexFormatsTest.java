package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.search.ImageRecord;
import dev.imagesearch.search.IndexManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexFormatsTest {
  private static final String SHA = "ab".repeat(32);

  private static List<ImageRecord> readJsonl(String text) {
    return MetadataJsonl.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "metadata.jsonl");
  }

  @Test
  void metadataLinesBecomeRecordsInOrderIgnoringExtraFields() {
    List<ImageRecord> records =
        readJsonl(
            """
            {"key": "b.jpg", "width": 640, "height": 480, "sha256": "%s", "caption": "a bird"}
            {"key": "a/ü.png", "width": 10, "height": 20, "sha256": "%s"}
            """
                .formatted(SHA, SHA));
    assertEquals(
        List.of(new ImageRecord("b.jpg", 640, 480, SHA), new ImageRecord("a/ü.png", 10, 20, SHA)),
        records);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataJsonl.write(out, records);
    assertEquals(
        "{\"key\":\"b.jpg\",\"width\":640,\"height\":480,\"sha256\":\""
            + SHA
            + "\"}\n"
            + "{\"key\":\"a/ü.png\",\"width\":10,\"height\":20,\"sha256\":\""
            + SHA
            + "\"}\n",
        out.toString(StandardCharsets.UTF_8));
    assertEquals(records, MetadataJsonl.read(new ByteArrayInputStream(out.toByteArray()), "m"));
  }

  @Test
  void malformedMetadataNamesTheLine() {
    assertEquals(
        "metadata.jsonl line 2: missing \"key\"",
        assertThrows(
                InvalidIndexException.class,
                () -> readJsonl("{\"key\":\"a\",\"width\":1,\"height\":1}\n{\"width\":1}\n"))
            .getMessage());
    assertEquals(
        "metadata.jsonl line 1 (a): missing integer \"width\"/\"height\"",
        assertThrows(InvalidIndexException.class, () -> readJsonl("{\"key\":\"a\"}\n"))
            .getMessage());
    InvalidIndexException notJson =
        assertThrows(
            InvalidIndexException.class,
            () -> readJsonl("{\"key\":\"a\",\"width\":1,\"height\":1}\n{\"key\": oops}\n"));
    assertTrue(
        notJson.getMessage().startsWith("metadata.jsonl line 2 is not JSON"), notJson.getMessage());
    assertEquals(
        "metadata.jsonl line 2 is empty or holds more than one JSON value",
        assertThrows(
                InvalidIndexException.class,
                () -> readJsonl("{\"key\":\"a\",\"width\":1,\"height\":1}\n\n{\"key\":\"b\"}\n"))
            .getMessage());
  }

  @Test
  void manifestRoundTripsWithSnakeCaseFields() {
    IndexManifest manifest =
        new IndexManifest(
            "20261130T031500Z-1a2b3c4d",
            "tiny-clip-v1",
            64,
            1000,
            "float16",
            "2026-11-30T03:15:00Z",
            Map.of("embeddings.npy", SHA, "metadata.jsonl", SHA));
    byte[] json = ManifestJson.write(manifest);
    String text = new String(json, StandardCharsets.UTF_8);

    assertEquals(true, text.contains("\"model_id\" : \"tiny-clip-v1\""), text);
    assertEquals(manifest, ManifestJson.read(json, "manifest.json"));
  }

  @Test
  void manifestProblemsAreNamed() {
    byte[] noModel =
        "{\"version\":\"v\",\"dim\":4,\"count\":1,\"dtype\":\"float16\",\"created_at\":\"t\",\"files\":{}}"
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "index/v/manifest.json: missing \"model_id\"",
        assertThrows(
                InvalidIndexException.class,
                () -> ManifestJson.read(noModel, "index/v/manifest.json"))
            .getMessage());
    byte[] badHash =
        ("{\"version\":\"v\",\"model_id\":\"m\",\"dim\":4,\"count\":1,\"dtype\":\"float16\","
                + "\"created_at\":\"t\",\"files\":{\"embeddings.npy\":\"xyz\"}}")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "m.json: \"files\".embeddings.npy is not a hex sha256",
        assertThrows(InvalidIndexException.class, () -> ManifestJson.read(badHash, "m.json"))
            .getMessage());
  }
}
