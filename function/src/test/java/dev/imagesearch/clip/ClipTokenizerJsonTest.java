package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder's tokenizer.json, run by DJL's Hugging Face tokenizer, gives the ids of the Python
 * reference tokenizer (tiny vocabulary) and of the real CLIP tokenizer (full vocabulary).
 */
class ClipTokenizerJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  private static final Path TEST_RESOURCES = ROOT.resolve("function/src/test/resources");

  @TempDir Path tmp;

  @Test
  void vocabularyFollowsClipLayout() {
    Map<String, Integer> vocab = ClipTokenizerJson.vocabulary(List.of("h e", "he llo</w>"));
    // 256 bytes, 256 bytes + </w>, 2 merges, 2 specials.
    assertEquals(516, vocab.size());
    assertEquals(0, vocab.get("!"));
    // 'a' is byte-char 64 (after '!'..'`'), so "a</w>" is 256 + 64: CLIP's id 320 for "a".
    assertEquals(320, vocab.get("a</w>"));
    assertEquals(512, vocab.get("he"));
    assertEquals(513, vocab.get("hello</w>"));
    assertEquals(514, vocab.get("<|startoftext|>"));
    assertEquals(515, vocab.get("<|endoftext|>"));
    // The space byte (0x20) is not printable, so it maps past 255: GPT-2's "Ġ" (U+0120).
    assertEquals("\u0120", ClipTokenizerJson.bytesToUnicode().get(188 + 32));
  }

  @Test
  void tinyTokenizerMatchesPythonReferenceIds() throws IOException {
    Path tokenizer = TEST_RESOURCES.resolve("tiny-clip/tokenizer.json");
    Path reference = TEST_RESOURCES.resolve("tiny-clip-reference/tokens.json");
    assumeTrue(Files.exists(reference), "no " + reference + " yet");
    int checked = 0;
    try (HuggingFaceTokenizer tok = load(tokenizer)) {
      for (JsonNode c : JSON.readTree(reference.toFile())) {
        assertEquals(
            ids(c.get("ids")), ids(tok.encode(c.get("text").asText())), c.get("text").asText());
        checked++;
      }
    }
    assertEquals(30, checked);
  }

  @Test
  void fullClipVocabularyReproducesClipIds() throws IOException {
    Path bpe = ROOT.resolve("../shared/data/clip-vocab/bpe_simple_vocab_16e6.txt.gz");
    Path cases = ROOT.resolve("../shared/data/clip-reference/clip_tokenizer_cases.json");
    assumeTrue(
        Files.exists(bpe) && Files.exists(cases),
        "skipped: ../shared/data/clip-vocab or clip-reference absent (only on the dev machines)");
    List<String> merges = ClipTokenizerJson.readMerges(bpe, ClipTokenizerJson.CLIP_MERGES);
    assertEquals(48894, merges.size());
    Path json = tmp.resolve("tokenizer.json");
    Files.writeString(json, ClipTokenizerJson.build(merges), StandardCharsets.UTF_8);
    try (HuggingFaceTokenizer tok = load(json)) {
      for (JsonNode c : JSON.readTree(cases.toFile())) {
        assertEquals(
            ids(c.get("ids")), ids(tok.encode(c.get("text").asText())), c.get("text").asText());
      }
      // Truncation keeps <|endoftext|> last at 77 tokens.
      long[] longIds = tok.encode("word ".repeat(300)).getIds();
      assertEquals(77, longIds.length);
      assertEquals(49406, longIds[0]);
      assertEquals(49407, longIds[76]);
    }
  }

  private static HuggingFaceTokenizer load(Path json) throws IOException {
    return HuggingFaceTokenizer.newInstance(
        json, Map.of("truncation", "true", "maxLength", "77", "padding", "false"));
  }

  private static List<Long> ids(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }

  private static List<Long> ids(Encoding encoding) {
    List<Long> out = new ArrayList<>();
    for (long id : encoding.getIds()) {
      out.add(id);
    }
    return out;
  }
}
