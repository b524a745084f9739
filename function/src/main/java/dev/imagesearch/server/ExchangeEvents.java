package dev.imagesearch.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.HttpExchange;
import dev.imagesearch.web.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Builds, from a socket request, the API Gateway HTTP API (payload 2.0) event AWS would send for it
 * (lower-case header names, repeated headers comma-joined, cookies apart, binary bodies base64),
 * and writes a handler response back to the socket.
 */
final class ExchangeEvents {
  private static final int MAX_BODY = 1 << 20;

  private ExchangeEvents() {}

  static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.equals("cookie")) {
                for (String v : values) {
                  for (String c : v.split(";")) {
                    if (!c.isBlank()) cookies.add(c.trim());
                  }
                }
              } else {
                headers.put(lower, String.join(",", values));
              }
            });
    byte[] body = readBody(exchange.getRequestBody());
    boolean text = isText(headers.get("content-type"));
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String requestId = UUID.randomUUID().toString();
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath(path)
        .withRawQueryString(
            exchange.getRequestURI().getRawQuery() == null
                ? ""
                : exchange.getRequestURI().getRawQuery())
        .withHeaders(headers)
        .withCookies(cookies.isEmpty() ? null : cookies)
        .withBody(
            body.length == 0
                ? null
                : text
                    ? new String(body, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(body))
        .withIsBase64Encoded(body.length > 0 && !text)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withStage("$default")
                .withRouteKey("$default")
                .withRequestId(requestId)
                .withTimeEpoch(Instant.now().toEpochMilli())
                .withDomainName(headers.getOrDefault("host", "localhost"))
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path)
                        .withProtocol(exchange.getProtocol())
                        .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                        .withUserAgent(headers.get("user-agent"))
                        .build())
                .build())
        .build();
  }

  static void write(HttpExchange exchange, HttpResponse response) throws IOException {
    boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
    response
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.equals("content-length")) {
                exchange.getResponseHeaders().set(name, value);
              }
            });
    byte[] body = response.body();
    if (head || body.length == 0) {
      exchange.sendResponseHeaders(response.status(), -1);
    } else {
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      throw new IOException("request body larger than " + MAX_BODY + " bytes");
    }
    return body;
  }

  private static boolean isText(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.startsWith("application/json")
        || type.startsWith("application/x-www-form-urlencoded");
  }
}
