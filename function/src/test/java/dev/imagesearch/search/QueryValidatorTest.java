package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QueryValidatorTest {
  private static final QueryValidator VALIDATOR = QueryValidator.DEFAULT;

  @Test
  void trimsAndCollapsesWhitespace() {
    assertEquals("three red circles", VALIDATOR.normalize("  three \t red\n\r\ncircles  "));
    assertEquals("café au lait", VALIDATOR.normalize("café\u00a0au lait"));
  }

  @Test
  void emptyQueriesAskForWords() {
    assertEquals("Type a few words to search for.", message(VALIDATOR, " \t "));
    assertEquals("Type a few words to search for.", message(VALIDATOR, null));
  }

  @Test
  void controlCharactersAreRefusedByCodePoint() {
    assertEquals(
        "The query contains a control character (U+0007); remove it and try again.",
        message(VALIDATOR, "red\u0007circle"));
  }

  @Test
  void lengthIsCappedInCharactersAfterCollapsing() {
    QueryValidator ten = new QueryValidator(10);

    assertEquals("a b c d e", ten.normalize("a    b    c    d    e"));
    // "🐱" is one character (two UTF-16 units): 10 cats pass, 11 do not.
    assertEquals("🐱".repeat(10), ten.normalize("🐱".repeat(10)));
    assertEquals(
        "The query is 11 characters long; the limit is 10. Shorten it and try again.",
        message(ten, "🐱".repeat(11)));
  }

  private static String message(QueryValidator v, String raw) {
    return assertThrows(InvalidQueryException.class, () -> v.normalize(raw)).getMessage();
  }
}
