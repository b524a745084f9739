package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryExpressionTest {

  @Test
  void plainTextIsOneTermOfWeightOne() {
    assertEquals(
        List.of(new QueryTerm("three red circles", 1)), QueryExpression.parse("three red circles"));
  }

  @Test
  void plusAndMinusBetweenSpacesJoinTerms() {
    assertEquals(
        List.of(new QueryTerm("beach", 1), new QueryTerm("sunset", 1), new QueryTerm("people", -1)),
        QueryExpression.parse("beach + sunset - people"));
  }

  @Test
  void weightsPrefixTerms() {
    assertEquals(
        List.of(new QueryTerm("cat", 2), new QueryTerm("dog", 1)),
        QueryExpression.parse("2:cat + dog"));
    assertEquals(
        List.of(new QueryTerm("red circle", 0.5f)), QueryExpression.parse("0.5:red circle"));
    // The operator's sign multiplies the weight: "- 2:people" is people -2.
    assertEquals(
        List.of(new QueryTerm("beach", 1), new QueryTerm("people", -2)),
        QueryExpression.parse("beach - 2: people"));
  }

  @Test
  void dashesAndPlusesInsideWordsAreText() {
    assertEquals(
        List.of(new QueryTerm("t-shirt on black-and-white tiles", 1)),
        QueryExpression.parse("t-shirt on black-and-white tiles"));
    assertEquals(List.of(new QueryTerm("c++ book -x", 1)), QueryExpression.parse("c++ book -x"));
    // A colon after a non-number is text too.
    assertEquals(List.of(new QueryTerm("note: cat", 1)), QueryExpression.parse("note: cat"));
  }

  @Test
  void aLeadingOperatorSignsTheFirstTerm() {
    assertEquals(List.of(new QueryTerm("people", -1)), QueryExpression.parse("-people"));
    assertEquals(
        List.of(new QueryTerm("people", -1), new QueryTerm("dog", 1)),
        QueryExpression.parse("- people + dog"));
    assertEquals(List.of(new QueryTerm("cat", -3)), QueryExpression.parse("-3:cat"));
  }

  @Test
  void weightsListsTheTermsWeightsInOrder() {
    assertArrayEquals(
        new float[] {2, 1, -0.5f},
        QueryExpression.weights(QueryExpression.parse("2:cat + dog - 0.5:bird")));
  }

  @Test
  void malformedExpressionsSayWhatToFix() {
    assertEquals("the query is empty", message("   "));
    assertEquals("'-' needs a term after it", message("-"));
    assertEquals("two operators in a row before '-' in \"cat + - dog\"", message("cat + - dog"));
    assertEquals(
        "the query ends with an operator; add a term after it or remove it", message("cat +"));
    assertEquals(
        "'1.2.3' in '1.2.3:cat' is not a weight; write e.g. 2:cat or 0.5:cat",
        message("1.2.3:cat"));
    assertEquals(
        "the weight in '0:cat' must be a number other than 0, e.g. 2:cat or 0.5:cat",
        message("0:cat"));
    assertEquals("the weight '2:' has no text after it", message("dog + 2:"));
    assertEquals(
        "':cat' has a ':' but no weight before it; write e.g. 2:cat or 0.5:cat", message(":cat"));
  }

  private static String message(String query) {
    return assertThrows(InvalidQueryException.class, () -> QueryExpression.parse(query))
        .getMessage();
  }
}
