package dev.imagesearch.server;

import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.SearchHandler;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * Closes, with a 408 answer, connections whose request line and headers have not all arrived within
 * the limit. Jetty's idle timeout is reset by every byte, so a client that sends its headers one
 * byte a second would otherwise hold its connection for ever; selector threads are never blocked by
 * such clients, but connections, memory and the connection limit are.
 *
 * <p>A sweep every quarter of the limit (at most every second) looks at each open connection's
 * parser: a connection is "in headers" while its parser has started a request and not reached its
 * end of headers. Starting a new request (the connection's message count) restarts the clock.
 */
final class HeaderReadTimeout implements Connection.Listener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HeaderReadTimeout.class.getName());
  private final long limitNanos;
  private final Map<HttpConnection, Started> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper;

  /** When the request now being read started, identified by the connection's message count. */
  private record Started(long messagesIn, long nanos) {}

  HeaderReadTimeout(Duration limit) {
    this.limitNanos = limit.toNanos();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "header-timeout");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(25, Math.min(1000, limit.toMillis() / 4));
    sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.put(http, new Started(-1, 0));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  /** Connections currently tracked (for tests). */
  int openConnections() {
    return open.size();
  }

  private void sweepQuietly() {
    try {
      sweep(System.nanoTime());
    } catch (Throwable t) {
      // The sweep must keep its schedule whatever one connection does.
      LOG.log(Level.WARNING, "header timeout sweep failed: " + t);
    }
  }

  private void sweep(long now) {
    List<EndPoint> late = new ArrayList<>();
    open.replaceAll(
        (connection, started) -> {
          if (!readingHeaders(connection.getParser().getState())) {
            return new Started(-1, 0);
          }
          long messages = connection.getMessagesIn();
          if (started.messagesIn() != messages) {
            return new Started(messages, now);
          }
          if (now - started.nanos() > limitNanos) {
            late.add(connection.getEndPoint());
          }
          return started;
        });
    // Outside replaceAll: closing a connection removes it from the map.
    late.forEach(HeaderReadTimeout::refuse);
  }

  private static boolean readingHeaders(HttpParser.State state) {
    return state.ordinal() > HttpParser.State.START.ordinal()
        && state.ordinal() <= HttpParser.State.HEADER.ordinal();
  }

  private static void refuse(EndPoint endPoint) {
    if (!endPoint.isOpen()) {
      return;
    }
    HttpResponse answer =
        SearchHandler.refusal("/", UUID.randomUUID().toString(), 408, ProtocolErrors.message(408));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(answer.body().length + 512);
    StringBuilder head = new StringBuilder("HTTP/1.1 408 Request Timeout\r\n");
    answer.headers().forEach((n, v) -> head.append(n).append(": ").append(v).append("\r\n"));
    head.append("content-length: ").append(answer.body().length).append("\r\n");
    head.append("connection: close\r\n\r\n");
    bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(answer.body());
    endPoint.write(
        Callback.from(endPoint::close, failure -> endPoint.close()),
        ByteBuffer.wrap(bytes.toByteArray()));
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
