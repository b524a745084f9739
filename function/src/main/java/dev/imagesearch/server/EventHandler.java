package dev.imagesearch.server;

import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.RequestLog;
import dev.imagesearch.web.SearchHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Translates and delegates, nothing else: the per-client rate limit and the body limit are checked
 * here (they are socket concerns), then the request goes to the {@link SearchHandler} as an API
 * Gateway event and its answer is written back.
 */
final class EventHandler extends Handler.Abstract {
  private static final System.Logger LOG = System.getLogger(EventHandler.class.getName());
  private final SearchHandler handler;
  private final RateLimiter limiter;
  private final int maxBody;
  private final RequestLog requestLog = RequestLog.fromEnv(System.getenv());

  EventHandler(SearchHandler handler, ServerSettings settings) {
    this.handler = handler;
    this.limiter = new RateLimiter(settings.rateLimit(), System::nanoTime);
    this.maxBody = settings.maxBodyBytes();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    boolean head = "HEAD".equals(request.getMethod());
    String path = JettyEvents.rawPath(request);
    OptionalLong wait = limiter.acquire(Request.getRemoteAddr(request));
    HttpResponse answer;
    if (wait.isPresent()) {
      answer =
          SearchHandler.refusal(
                  path,
                  requestId,
                  429,
                  "too many requests from your address: try again in " + wait.getAsLong() + " s")
              .withHeader("retry-after", Long.toString(wait.getAsLong()));
    } else {
      try {
        answer = handler.handle(JettyEvents.toEvent(request, requestId, maxBody));
      } catch (JettyEvents.BodyTooLarge e) {
        answer =
            SearchHandler.refusal(path, requestId, 413, e.getMessage())
                .withHeader("connection", "close");
      } catch (IOException e) {
        // The client went away while sending its body: nobody is left to answer.
        LOG.log(Level.DEBUG, "request " + requestId + ": client went away: " + e.getMessage());
        callback.failed(e);
        return true;
      }
    }
    if (answer.status() == 429 || answer.status() == 413) {
      // Refused here, before the handler (which logs everything it answers).
      requestLog.log(
          System.out::println, requestId, request.getMethod(), path, null, answer, start);
    }
    JettyEvents.write(response, answer, head, callback);
    return true;
  }
}
