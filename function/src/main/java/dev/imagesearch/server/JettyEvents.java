package dev.imagesearch.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.imagesearch.web.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Builds, from a socket request, the API Gateway HTTP API (payload 2.0) event AWS would send for it
 * (lower-case header names, repeated headers comma-joined, cookies apart, binary bodies base64, the
 * raw path and query untouched), and writes a handler response back to the socket.
 */
final class JettyEvents {
  private JettyEvents() {}

  /** A request body over the limit (answered 413 by the caller). */
  static final class BodyTooLarge extends IOException {
    BodyTooLarge(int limit) {
      super("the request body is larger than " + limit + " bytes");
    }
  }

  static APIGatewayV2HTTPEvent toEvent(Request request, String requestId, int maxBody)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    for (HttpField field : request.getHeaders()) {
      String name = field.getLowerCaseName();
      String value = field.getValue() == null ? "" : field.getValue();
      if (name.equals("cookie")) {
        for (String c : value.split(";")) {
          if (!c.isBlank()) cookies.add(c.trim());
        }
      } else {
        headers.merge(name, value, (a, b) -> a + "," + b);
      }
    }
    byte[] body = readBody(request, maxBody);
    boolean text = isText(headers.get("content-type"));
    String path = rawPath(request);
    String query = request.getHttpURI().getQuery();
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath(path)
        .withRawQueryString(query == null ? "" : query)
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
                        .withMethod(request.getMethod().toUpperCase(Locale.ROOT))
                        .withPath(path)
                        .withProtocol(request.getConnectionMetaData().getProtocol())
                        .withSourceIp(Request.getRemoteAddr(request))
                        .withUserAgent(headers.get("user-agent"))
                        .build())
                .build())
        .build();
  }

  /** The path as the client sent it (still percent-encoded), as API Gateway's rawPath is. */
  static String rawPath(Request request) {
    String path = request.getHttpURI().getPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  static void write(Response response, HttpResponse answer, boolean head, Callback callback) {
    response.setStatus(answer.status());
    answer
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.equals("content-length")) {
                response.getHeaders().put(name, value);
              }
            });
    byte[] body = answer.body();
    if (head) {
      String length = answer.headers().get("content-length");
      if (length != null) {
        response.getHeaders().put("content-length", length);
      }
      response.write(true, null, callback);
    } else {
      response.getHeaders().put("content-length", Integer.toString(body.length));
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  private static byte[] readBody(Request request, int maxBody) throws IOException {
    if (request.getLength() > maxBody) {
      throw new BodyTooLarge(maxBody);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes(maxBody + 1);
      if (body.length > maxBody) {
        throw new BodyTooLarge(maxBody);
      }
      return body;
    }
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
