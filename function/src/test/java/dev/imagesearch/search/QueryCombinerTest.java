package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryCombinerTest {

  @Test
  void weightedSumOfNormalizedTermsIsNormalized() {
    // normalize((3,0,0)) = x, normalize((0,0.5,0)) = y: 2x - y = (2, -1, 0), length √5 = 2.236068:
    // (0.894427, -0.447214, 0).
    float[] q =
        QueryCombiner.combine(
            List.of(new float[] {3, 0, 0}, new float[] {0, 0.5f, 0}), new float[] {2, -1});

    assertArrayEquals(new float[] {0.894427f, -0.447214f, 0}, q, 1e-6f);
  }

  @Test
  void combinesParsedTermsWithTheirWeights() {
    Map<String, float[]> embeddings =
        Map.of(
            "beach", new float[] {1, 0, 0},
            "sunset", new float[] {0, 1, 0},
            "people", new float[] {0, 0, 1});
    // beach + sunset - people = (1, 1, -1) / √3.
    float r3 = (float) (1 / Math.sqrt(3));

    List<QueryTerm> terms = QueryExpression.parse("beach + sunset - people");

    float[] q =
        QueryCombiner.combine(
            terms.stream().map(t -> embeddings.get(t.text())).toList(),
            QueryExpression.weights(terms));

    assertArrayEquals(new float[] {r3, r3, -r3}, q, 1e-6f);
  }

  @Test
  void inputsAreNotModified() {
    float[] a = {3, 4};
    QueryCombiner.combine(List.of(a), new float[] {1});

    assertArrayEquals(new float[] {3, 4}, a);
  }

  @Test
  void termsThatCancelOutAreRefused() {
    InvalidQueryException e =
        assertThrows(
            InvalidQueryException.class,
            () ->
                QueryCombiner.combine(
                    List.of(new float[] {1, 1}, new float[] {2, 2}), new float[] {1, -1}));

    assertEquals(
        "the terms of this query cancel each other out; change a weight or remove a term",
        e.getMessage());
  }
}
