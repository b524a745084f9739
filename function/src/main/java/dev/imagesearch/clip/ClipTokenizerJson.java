package dev.imagesearch.clip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagesearch.ImageSearchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Builds a Hugging Face {@code tokenizer.json} with the exact structure of {@code
 * openai/clip-vit-base-patch32}'s from an ordered list of BPE merges. The same code makes the tiny
 * test model's tokenizer (a few hundred merges learned from captions) and, from OpenAI's {@code
 * bpe_simple_vocab_16e6.txt.gz}, the full CLIP tokenizer, which is how a test proves the structure
 * is CLIP-exact.
 *
 * <p>Vocabulary, as CLIP builds it: the 256 byte characters of GPT-2's {@code bytes_to_unicode},
 * the same 256 with {@code </w>}, one token per merge in order, then {@code <|startoftext|>} and
 * {@code <|endoftext|>} (49406 and 49407 with the full merges list).
 *
 * <pre>{@code
 * List<String> merges = ClipTokenizerJson.readMerges(Path.of("bpe_simple_vocab_16e6.txt.gz"),
 *     ClipTokenizerJson.CLIP_MERGES);
 * Files.writeString(Path.of("tokenizer.json"), ClipTokenizerJson.build(merges));
 * }</pre>
 */
public final class ClipTokenizerJson {
  /** Merges CLIP uses from its BPE file: 49,152 - 256 - 2, giving a 49,408-token vocabulary. */
  public static final int CLIP_MERGES = 49152 - 256 - 2;

  public static final String START_OF_TEXT = "<|startoftext|>";
  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final int CONTEXT_LENGTH = 77;

  /** CLIP's pre-tokenizer regex (simple_tokenizer.py), as in the Hugging Face export. */
  static final String CLIP_SPLIT_REGEX =
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ClipTokenizerJson() {}

  /**
   * Reads merges ("a b" per line) from a text file, gzip-compressed when its name ends in .gz,
   * skipping a leading {@code #version} header line (in OpenAI's file it follows the file name) and
   * blank lines, keeping at most {@code maxMerges}.
   */
  public static List<String> readMerges(Path file, int maxMerges) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> merges = new ArrayList<>();
      String line;
      boolean first = true;
      while ((line = reader.readLine()) != null && merges.size() < maxMerges) {
        if (first && line.contains("#version")) {
          first = false;
          continue;
        }
        first = false;
        if (!line.isBlank()) {
          merges.add(line);
        }
      }
      return merges;
    } catch (IOException e) {
      throw new ImageSearchException("cannot read BPE merges from " + file + ": " + e, e);
    }
  }

  /** The tokenizer.json text for these merges, in order. */
  public static String build(List<String> merges) {
    Map<String, Integer> vocab = vocabulary(merges);
    int sot = vocab.get(START_OF_TEXT);
    int eot = vocab.get(END_OF_TEXT);

    ObjectNode root = F.objectNode();
    root.put("version", "1.0");
    ObjectNode truncation = root.putObject("truncation");
    truncation.put("direction", "Right");
    truncation.put("max_length", CONTEXT_LENGTH);
    truncation.put("strategy", "LongestFirst");
    truncation.put("stride", 0);
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    added.add(addedToken(sot, START_OF_TEXT, true));
    added.add(addedToken(eot, END_OF_TEXT, false));

    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "Sequence");
    ArrayNode normalizers = normalizer.putArray("normalizers");
    normalizers.addObject().put("type", "NFC");
    ObjectNode replace = normalizers.addObject();
    replace.put("type", "Replace");
    replace.putObject("pattern").put("Regex", "\\s+");
    replace.put("content", " ");
    normalizers.addObject().put("type", "Lowercase");

    ObjectNode preTokenizer = root.putObject("pre_tokenizer");
    preTokenizer.put("type", "Sequence");
    ArrayNode preTokenizers = preTokenizer.putArray("pretokenizers");
    ObjectNode split = preTokenizers.addObject();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", CLIP_SPLIT_REGEX);
    split.put("behavior", "Removed");
    split.put("invert", true);
    ObjectNode byteLevel = preTokenizers.addObject();
    byteLevel.put("type", "ByteLevel");
    byteLevel.put("add_prefix_space", false);
    byteLevel.put("trim_offsets", true);
    byteLevel.put("use_regex", false);

    ObjectNode post = root.putObject("post_processor");
    post.put("type", "RobertaProcessing");
    post.putArray("sep").add(END_OF_TEXT).add(eot);
    post.putArray("cls").add(START_OF_TEXT).add(sot);
    post.put("trim_offsets", false);
    post.put("add_prefix_space", false);

    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", true);
    decoder.put("trim_offsets", true);
    decoder.put("use_regex", true);

    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", END_OF_TEXT);
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "</w>");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocabNode = model.putObject("vocab");
    vocab.forEach(vocabNode::put);
    ArrayNode mergesNode = model.putArray("merges");
    merges.forEach(mergesNode::add);

    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (IOException e) {
      throw new ImageSearchException("cannot serialize tokenizer.json: " + e, e);
    }
  }

  /** Token to id, in CLIP's order: bytes, bytes + {@code </w>}, merges, the two specials. */
  static Map<String, Integer> vocabulary(List<String> merges) {
    List<String> tokens = new ArrayList<>(bytesToUnicode());
    for (String b : bytesToUnicode()) {
      tokens.add(b + "</w>");
    }
    for (String merge : merges) {
      String[] pair = merge.split(" ");
      if (pair.length != 2) {
        throw new IllegalArgumentException("a merge is two symbols separated by a space: " + merge);
      }
      tokens.add(pair[0] + pair[1]);
    }
    tokens.add(START_OF_TEXT);
    tokens.add(END_OF_TEXT);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String token : tokens) {
      if (vocab.putIfAbsent(token, vocab.size()) != null) {
        throw new IllegalArgumentException("duplicate token in vocabulary: " + token);
      }
    }
    return vocab;
  }

  /**
   * GPT-2's reversible byte-to-character map, in its order: printable Latin-1 bytes map to
   * themselves, the other bytes to code points from 256 upwards.
   */
  static List<String> bytesToUnicode() {
    List<Integer> bytes = new ArrayList<>();
    for (int b = '!'; b <= '~'; b++) {
      bytes.add(b);
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      bytes.add(b);
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      bytes.add(b);
    }
    List<String> chars = new ArrayList<>();
    for (int b : bytes) {
      chars.add(Character.toString(b));
    }
    int next = 0;
    for (int b = 0; b < 256; b++) {
      if (!bytes.contains(b)) {
        chars.add(Character.toString(256 + next++));
      }
    }
    return chars;
  }

  private static ObjectNode addedToken(int id, String content, boolean normalized) {
    ObjectNode t = F.objectNode();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", normalized);
    t.put("special", true);
    return t;
  }

  /** {@code ClipTokenizerJson MERGES_FILE OUT_FILE [MAX_MERGES]}: writes tokenizer.json. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: ClipTokenizerJson MERGES_FILE(.gz) OUT_FILE [MAX_MERGES]");
      System.exit(2);
    }
    int max = args.length == 3 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
    List<String> merges = readMerges(Path.of(args[0]), max);
    Path out = Path.of(args[1]);
    Files.writeString(out, build(merges), StandardCharsets.UTF_8);
    System.out.println("wrote " + out + " with " + merges.size() + " merges");
  }
}
