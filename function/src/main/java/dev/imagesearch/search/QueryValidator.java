package dev.imagesearch.search;

/**
 * Normalizes what a person typed into the query that is embedded: trims it, turns tabs and line
 * breaks into spaces, collapses runs of whitespace, and refuses empty queries, other control
 * characters and queries longer than the cap (counted in Unicode code points, after collapsing);
 * invisible format characters (zero-width, bidi marks) are dropped. Refusals are {@link
 * InvalidQueryException}s with a message for that person.
 *
 * <pre>{@code
 * QueryValidator.DEFAULT.normalize("  three   red\tcircles ") // "three red circles"
 * }</pre>
 *
 * @param maxLength most code points a normalized query may have
 */
public record QueryValidator(int maxLength) {
  /** Queries up to 500 characters: CLIP reads at most 77 tokens, roughly 300 characters. */
  public static final QueryValidator DEFAULT = new QueryValidator(500);

  public QueryValidator {
    if (maxLength < 1) throw new IllegalArgumentException("maxLength must be >= 1: " + maxLength);
  }

  /** The normalized query. */
  public String normalize(String raw) {
    if (raw == null) throw new InvalidQueryException("Type a few words to search for.");
    StringBuilder out = new StringBuilder(raw.length());
    boolean pendingSpace = false;
    int length = 0;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (Character.getType(cp) == Character.FORMAT) {
        // Invisible format characters (zero-width space and joiners, bidi marks, BOM): dropped,
        // so a query of only such characters is empty, not a search for nothing visible.
        continue;
      }
      if (Character.isISOControl(cp)) {
        throw new InvalidQueryException(
            "The query contains a control character (U+%04X); remove it and try again."
                .formatted(cp));
      }
      if (pendingSpace) {
        out.append(' ');
        length++;
        pendingSpace = false;
      }
      out.appendCodePoint(cp);
      length++;
    }
    if (out.isEmpty()) throw new InvalidQueryException("Type a few words to search for.");
    if (length > maxLength) {
      throw new InvalidQueryException(
          "The query is %d characters long; the limit is %d. Shorten it and try again."
              .formatted(length, maxLength));
    }
    return out.toString();
  }
}
