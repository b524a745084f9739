package dev.imagesearch.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a raw query string ({@code q=red+circle&k=10}). API Gateway's {@code
 * queryStringParameters} comma-joins repeated names, which loses values that contain commas, so
 * both doors decode {@code rawQueryString} with this class instead.
 *
 * <p>Strict where the JDK's {@code URLDecoder} is lenient: a broken escape ({@code %ZZ}, a lone
 * {@code %}) and bytes that are not UTF-8 ({@code %FF}) are refused with 400 rather than turned
 * into replacement characters that would then be searched for.
 */
public final class QueryStringParser {
  private QueryStringParser() {}

  public static Map<String, List<String>> parse(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String part) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < part.length() ? Character.digit(part.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(part.charAt(i + 2), 16);
        if (lo < 0) {
          throw HttpError.badRequest(
              "the query string has a broken %-escape near '" + shorten(part, i) + "'");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '\uFFFD' || Character.isISOControl(c)) {
        // U+FFFD is what the socket server makes of raw bytes that are not UTF-8.
        throw HttpError.badRequest(
            "the query string has a raw byte that is not UTF-8 text: %-encode it");
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw HttpError.badRequest(
          "the query string is not valid UTF-8 near '" + shorten(part, 0) + "'");
    }
  }

  /** At most 40 characters of the offending part, from {@code from}: enough to find it. */
  private static String shorten(String part, int from) {
    String tail = part.substring(from);
    return tail.length() <= 40 ? tail : tail.substring(0, 40) + "…";
  }
}
