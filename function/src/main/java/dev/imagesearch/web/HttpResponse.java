package dev.imagesearch.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers. Both doors (Lambda and the socket server) turn it into their own format.
 *
 * @param status HTTP status
 * @param headers response headers, including {@code content-type}
 * @param body the bytes to send
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

  public static HttpResponse of(int status, String contentType, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", contentType);
    return new HttpResponse(status, headers, body);
  }

  public static HttpResponse html(int status, String html) {
    return of(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpResponse json(int status, String json) {
    return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpResponse text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A copy with one more header (names are kept lower case, as HTTP/2 and API Gateway send them).
   */
  public HttpResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name.toLowerCase(java.util.Locale.ROOT), value);
    return new HttpResponse(status, copy, body);
  }

  public String contentType() {
    return headers.getOrDefault("content-type", "application/octet-stream");
  }

  /** Text types go out as text; everything else base64 (API Gateway's isBase64Encoded). */
  public boolean isBinary() {
    String type = contentType();
    return !(type.startsWith("text/")
        || type.startsWith("application/json")
        || type.startsWith("image/svg+xml")
        || type.startsWith("application/javascript"));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
