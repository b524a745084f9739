package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLIP-exact structure: the full CLIP {@code tokenizer.json}, built by the same code that built the
 * tiny model's ({@link ClipTokenizerJson}) from OpenAI's merges, loaded by {@link ClipTokenizer},
 * gives the ids the real CLIP tokenizer gives. Needs {@code ../shared/data} (skipped without it;
 * {@code TinyClipModelTest} covers the tokenizer on every machine).
 */
class ClipTokenizerClipExactTest {
  private static final Path SHARED =
      Path.of(System.getProperty("project.root", "."), "../shared/data");
  private static final Path MERGES = SHARED.resolve("clip-vocab/bpe_simple_vocab_16e6.txt.gz");
  private static final Path CASES = SHARED.resolve("clip-reference/clip_tokenizer_cases.json");

  @TempDir static Path work;
  private static ClipTokenizer tokenizer;

  @BeforeAll
  static void buildFullClipTokenizer() throws IOException {
    assumeTrue(
        Files.isRegularFile(MERGES) && Files.isRegularFile(CASES),
        "skipped: " + MERGES + " or " + CASES + " absent (shared test data not on this machine)");
    // CLIP: merges = lines[1 : 49152 - 256 - 2 + 1] of the BPE file.
    List<String> merges = ClipTokenizerJson.readMerges(MERGES, ClipTokenizerJson.CLIP_MERGES);
    assertEquals(48_894, merges.size());
    Path json = work.resolve("tokenizer.json");
    Files.writeString(json, ClipTokenizerJson.build(merges));
    tokenizer = ClipTokenizer.load(json);
  }

  @AfterAll
  static void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Test
  void specialTokensHaveClipsIds() {
    assertEquals(49406, tokenizer.startOfTextId());
    assertEquals(49407, tokenizer.endOfTextId());
  }

  @Test
  void everyReferenceCaseIsReproducedExactly() throws IOException {
    JsonNode cases = new ObjectMapper().readTree(CASES.toFile());
    int checked = 0;
    for (JsonNode c : cases) {
      long[] expected = new long[c.get("ids").size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = c.get("ids").get(i).asLong();
      }
      String text = c.get("text").asText();
      assertArrayEquals(
          expected, tokenizer.encode(text), "ids of " + c.get("source") + ": " + text);
      checked++;
    }
    assertEquals(cases.size(), checked);
  }

  @Test
  void longTextIsTruncatedTo77WithEndOfTextLast() {
    String text = "a photo of a cat ".repeat(40);
    long[] ids = tokenizer.encode(text);
    assertEquals(77, ids.length);
    assertEquals(49406, ids[0]);
    assertEquals(49407, ids[76]);
    // "a photo of a cat" = 320 1125 539 320 2368, repeated from position 1.
    assertArrayEquals(
        new long[] {320, 1125, 539, 320, 2368, 320}, java.util.Arrays.copyOfRange(ids, 1, 7));
  }
}
