package dev.imagesearch.search;

import java.util.List;

/**
 * Turns the terms of a query expression into one query embedding: the weighted sum of the terms'
 * L2-normalized embeddings, L2-normalized again. Normalizing each term first makes a weight mean
 * the same for every term, whatever its embedding's length.
 *
 * <pre>{@code
 * List<QueryTerm> terms = QueryExpression.parse("beach + sunset - people");
 * float[] query = QueryCombiner.combine(embeddingsOf(terms), QueryExpression.weights(terms));
 * }</pre>
 */
public final class QueryCombiner {
  private QueryCombiner() {}

  /**
   * {@code normalize(Σ weights[i] · normalize(embeddings[i]))}; the inputs are not modified.
   *
   * @throws InvalidQueryException when the terms cancel out (e.g. {@code "cat - cat"})
   */
  public static float[] combine(List<float[]> embeddings, float[] weights) {
    if (embeddings.isEmpty() || embeddings.size() != weights.length) {
      throw new IllegalArgumentException(
          embeddings.size() + " embeddings but " + weights.length + " weights");
    }
    int dim = embeddings.get(0).length;
    double[] sum = new double[dim];
    for (int t = 0; t < weights.length; t++) {
      float[] e = embeddings.get(t);
      if (e.length != dim) {
        throw new IllegalArgumentException(
            "embedding " + t + " has " + e.length + " values, expected " + dim);
      }
      double norm = 0;
      for (float v : e) norm += (double) v * v;
      if (norm == 0) continue;
      double scale = weights[t] / Math.sqrt(norm);
      for (int j = 0; j < dim; j++) sum[j] += scale * e[j];
    }
    double norm = 0;
    for (double v : sum) norm += v * v;
    // Below ~1e-6 of a unit vector's length what is left is rounding noise, not a direction.
    if (norm < 1e-12) {
      throw new InvalidQueryException(
          "the terms of this query cancel each other out; change a weight or remove a term");
    }
    double inv = 1 / Math.sqrt(norm);
    float[] out = new float[dim];
    for (int j = 0; j < dim; j++) out[j] = (float) (sum[j] * inv);
    return out;
  }
}
