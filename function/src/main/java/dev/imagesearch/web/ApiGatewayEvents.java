package dev.imagesearch.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Translates API Gateway HTTP API (payload 2.0) events to {@link HttpRequest} and {@link
 * HttpResponse} back. A named stage arrives as a prefix of {@code rawPath} ({@code
 * /prod/api/search} with {@code requestContext.stage = prod}); it is stripped for routing and kept
 * as the base path so links on the page still work.
 */
public final class ApiGatewayEvents {
  private static final String DEFAULT_STAGE = "$default";

  private ApiGatewayEvents() {}

  /** The request without query or body, for answering an event whose query or body is malformed. */
  static HttpRequest bareRequest(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPEvent copy =
        APIGatewayV2HTTPEvent.builder()
            .withRawPath(event.getRawPath())
            .withRequestContext(event.getRequestContext())
            .build();
    return toRequest(copy);
  }

  public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    String method = "GET";
    String stage = DEFAULT_STAGE;
    String requestId = null;
    if (context != null) {
      if (context.getHttp() != null && context.getHttp().getMethod() != null) {
        method = context.getHttp().getMethod().toUpperCase(Locale.ROOT);
      }
      if (context.getStage() != null) {
        stage = context.getStage();
      }
      requestId = context.getRequestId();
    }
    if (requestId == null || requestId.isBlank()) {
      requestId = UUID.randomUUID().toString();
    }
    String rawPath =
        event.getRawPath() == null || event.getRawPath().isEmpty() ? "/" : event.getRawPath();
    String basePath = "";
    if (!DEFAULT_STAGE.equals(stage)) {
      String prefix = "/" + stage;
      if (rawPath.equals(prefix) || rawPath.startsWith(prefix + "/")) {
        basePath = prefix;
        rawPath = rawPath.substring(prefix.length());
        if (rawPath.isEmpty()) {
          rawPath = "/";
        }
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (event.getHeaders() != null) {
      event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }
    return new HttpRequest(
        method,
        rawPath,
        basePath,
        QueryStringParser.parse(event.getRawQueryString()),
        headers,
        body(event),
        requestId);
  }

  private static byte[] body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    if (!event.getIsBase64Encoded()) {
      return body.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("the request body is marked base64 but is not valid base64");
    }
  }

  public static APIGatewayV2HTTPResponse toEvent(HttpResponse response) {
    boolean binary = response.isBinary();
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status())
        .withHeaders(new LinkedHashMap<>(response.headers()))
        .withBody(
            binary
                ? Base64.getEncoder().encodeToString(response.body())
                : new String(response.body(), StandardCharsets.UTF_8))
        .withIsBase64Encoded(binary)
        .build();
  }
}
