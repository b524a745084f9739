package dev.imagesearch.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Texts that should match nothing, made from the model's own tokenizer: the null that {@link
 * Calibrator} measures the collection against. Three kinds in equal parts, each one to three
 * "words" long like real queries:
 *
 * <ul>
 *   <li>glued sub-word pieces of the vocabulary ("ingcomation ptr"): made of the model's own
 *       tokens, but no word;
 *   <li>keyboard mash of random letters ("qhwe zkplf");
 *   <li>punctuation and digits ("#(4 ;;=").
 * </ul>
 *
 * Whole vocabulary words are left out on purpose: in a model trained on one domain the vocabulary
 * is that domain (the tiny test model's 50 words are its colours, shapes, counts and sizes), so
 * random words would be real queries, not nonsense. Seeded: the same tokenizer always gives the
 * same texts, so an unchanged collection measures the same calibration.
 */
final class ReferenceQueries {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String SYMBOLS = "!?.,;:-_()[]{}#@$%&*+=/|~^0123456789";

  private ReferenceQueries() {}

  /** {@code count} nonsense texts from the tokenizer at {@code tokenizerJson}, seeded. */
  static List<String> generate(Path tokenizerJson, int count, long seed) {
    List<String> pieces = subwordPieces(tokenizerJson);
    SplittableRandom random = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int words = 1 + random.nextInt(3);
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < words; w++) {
        if (w > 0) text.append(' ');
        switch (i % 3) {
          case 0 -> {
            int n = 1 + random.nextInt(3);
            for (int p = 0; p < n; p++) text.append(pieces.get(random.nextInt(pieces.size())));
          }
          case 1 -> text.append(randomChars(random, LETTERS, 2 + random.nextInt(9)));
          default -> text.append(randomChars(random, SYMBOLS, 1 + random.nextInt(6)));
        }
      }
      texts.add(text.toString());
    }
    return texts;
  }

  private static String randomChars(SplittableRandom random, String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return s.toString();
  }

  /**
   * Vocabulary entries that are parts of words (no end-of-word mark {@code </w>}), made only of
   * letters, in the file's order.
   */
  private static List<String> subwordPieces(Path tokenizerJson) {
    JsonNode vocab;
    try {
      vocab = new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab");
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + tokenizerJson + ": " + e.getMessage(), e);
    }
    List<String> pieces = new ArrayList<>();
    vocab
        .fieldNames()
        .forEachRemaining(
            token -> {
              if (!token.endsWith("</w>")
                  && !token.isEmpty()
                  && token.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                pieces.add(token);
              }
            });
    if (pieces.isEmpty()) {
      throw new ImageSearchException(
          tokenizerJson + " has no sub-word pieces in model.vocab; is it a CLIP tokenizer?");
    }
    return pieces;
  }
}
