package dev.imagesearch.web;

import dev.imagesearch.clip.TextTower;
import dev.imagesearch.search.InvalidQueryException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code lang} a query is asked in, and so which text tower embeds it: {@code en} the model's
 * CLIP tower, any other language code ({@code fr}, {@code de}, ...) the multilingual tower, {@code
 * auto} (or nothing) the multilingual tower as well, when the model has one.
 *
 * <p>Why not a language-identification library for {@code auto}: on the tiny model the multilingual
 * student is as precise on English as the English tower (both 0.996 mean precision@10,
 * RetrievalQualityTest) at the same cost per query (same architecture), so there is nothing to gain
 * from guessing; {@code lang=en} keeps the CLIP tower for a model whose multilingual tower is
 * weaker in English. Figures and the library measurement: docs/multilingual.md.
 *
 * <pre>{@code
 * QueryLanguage.parse("fr").tower(); // MULTILINGUAL
 * QueryLanguage.parse("en").tower(); // ENGLISH
 * }</pre>
 *
 * @param code {@code auto} or a lower-case ISO 639 code
 */
public record QueryLanguage(String code) {
  public static final QueryLanguage AUTO = new QueryLanguage("auto");

  private static final Pattern CODE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,8})?");

  /** Reads the {@code lang} parameter; null or blank is {@link #AUTO}. */
  public static QueryLanguage parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    String code = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    if (!code.equals(AUTO.code) && !CODE.matcher(code).matches()) {
      throw new InvalidQueryException(
          "parameter 'lang' must be 'auto' or a language code such as 'en' or 'fr'");
    }
    return new QueryLanguage(code);
  }

  /** The tower this language asks for (the model answers with English when it has no other). */
  public TextTower tower() {
    return code.equals("en") || code.startsWith("en-") ? TextTower.ENGLISH : TextTower.MULTILINGUAL;
  }
}
