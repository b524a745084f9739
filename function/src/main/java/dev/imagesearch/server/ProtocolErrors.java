package dev.imagesearch.server;

import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.SearchHandler;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before our handler runs (a malformed request line, a URL or headers
 * over the limit, an unsupported HTTP version, an ambiguous path) in the route family's format,
 * with a request id and the security headers: never Jetty's own page, an exception name or a stack
 * trace. The messages are ours; Jetty's reason text is not shown.
 */
final class ProtocolErrors extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException e) {
      status = e.getCode();
    }
    if (status < 400) {
      status = 500;
    }
    HttpResponse answer =
        SearchHandler.refusal(
            JettyEvents.rawPath(request), UUID.randomUUID().toString(), status, message(status));
    JettyEvents.write(response, answer, "HEAD".equals(request.getMethod()), callback);
    return true;
  }

  /** Requests so malformed that no path is known: a page-format answer. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    HttpResponse answer =
        SearchHandler.refusal("/", UUID.randomUUID().toString(), status, message(status));
    answer.headers().forEach((name, value) -> fields.put(name, value));
    return ByteBuffer.wrap(answer.body());
  }

  static String message(int status) {
    return switch (status) {
      case 400 -> "the request is malformed (request line, URL or headers): check how it is built";
      case 408 -> "the request took too long to arrive: send the whole request at once";
      case 413 -> "the request body is too large";
      case 414 -> "the URL is too long: shorten the query";
      case 431 -> "the request headers are too large";
      case 505 -> "this HTTP version is not supported: use HTTP/1.1";
      default ->
          status >= 500
              ? "something went wrong on our side"
              : "the request was refused (" + HttpStatus.getMessage(status) + ")";
    };
  }
}
