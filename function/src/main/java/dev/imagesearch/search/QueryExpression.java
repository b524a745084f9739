package dev.imagesearch.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the query algebra: terms joined by {@code +} and {@code -}, each with an optional weight
 * written {@code weight:text}.
 *
 * <ul>
 *   <li>{@code "beach + sunset - people"} → beach 1, sunset 1, people -1
 *   <li>{@code "2:cat + dog"} → cat 2, dog 1; {@code "0.5:red circle"} → "red circle" 0.5
 *   <li>{@code "- people"} or {@code "-people"} → people -1 (an operator may lead the query)
 *   <li>{@code "t-shirt on black-and-white tiles"} → one term: a {@code +} or {@code -} is an
 *       operator only when it stands alone between spaces or leads the query
 * </ul>
 *
 * A weight is a number before the first {@code :} of a term, made of digits, {@code .} and a sign;
 * it must be finite and not 0. Errors are {@link InvalidQueryException}s whose message says what to
 * fix.
 */
public final class QueryExpression {
  private static final Pattern WEIGHT_LIKE = Pattern.compile("[0-9.+-]*");

  private QueryExpression() {}

  /** The terms of {@code query}, in order; a query without operators is one term of weight 1. */
  public static List<QueryTerm> parse(String query) {
    String text = query.strip();
    if (text.isEmpty()) throw new InvalidQueryException("the query is empty");
    List<QueryTerm> terms = new ArrayList<>();
    float sign = 1;
    char lead = text.charAt(0);
    if (lead == '+' || lead == '-') {
      sign = lead == '-' ? -1 : 1;
      text = text.substring(1).strip();
      if (text.isEmpty()) throw new InvalidQueryException("'" + lead + "' needs a term after it");
    }
    StringBuilder term = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (word.equals("+") || word.equals("-")) {
        if (term.isEmpty()) {
          throw new InvalidQueryException(
              "two operators in a row before '" + word + "' in \"" + query.strip() + "\"");
        }
        terms.add(term(term.toString(), sign));
        term.setLength(0);
        sign = word.equals("-") ? -1 : 1;
      } else {
        if (!term.isEmpty()) term.append(' ');
        term.append(word);
      }
    }
    if (term.isEmpty()) {
      throw new InvalidQueryException(
          "the query ends with an operator; add a term after it or remove it");
    }
    terms.add(term(term.toString(), sign));
    return List.copyOf(terms);
  }

  /** The weights of {@code terms}, in order (for {@link QueryCombiner#combine}). */
  public static float[] weights(List<QueryTerm> terms) {
    float[] w = new float[terms.size()];
    for (int i = 0; i < w.length; i++) w[i] = terms.get(i).weight();
    return w;
  }

  private static QueryTerm term(String raw, float sign) {
    int colon = raw.indexOf(':');
    if (colon < 0 || !WEIGHT_LIKE.matcher(raw.substring(0, colon)).matches()) {
      return new QueryTerm(raw, sign);
    }
    String weightText = raw.substring(0, colon);
    String text = raw.substring(colon + 1).strip();
    if (weightText.isEmpty()) {
      throw new InvalidQueryException(
          "'" + raw + "' has a ':' but no weight before it; write e.g. 2:cat or 0.5:cat");
    }
    float weight;
    try {
      weight = Float.parseFloat(weightText);
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(
          "'" + weightText + "' in '" + raw + "' is not a weight; write e.g. 2:cat or 0.5:cat");
    }
    if (!Float.isFinite(weight) || weight == 0) {
      throw new InvalidQueryException(
          "the weight in '" + raw + "' must be a number other than 0, e.g. 2:cat or 0.5:cat");
    }
    if (text.isEmpty()) {
      throw new InvalidQueryException("the weight '" + weightText + ":' has no text after it");
    }
    return new QueryTerm(text, sign * weight);
  }
}
