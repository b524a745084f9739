package dev.imagesearch.server;

import dev.imagesearch.ImageSearchException;
import dev.imagesearch.web.SearchHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The socket door for EC2 and laptops: Jetty 12 core (no servlets; chosen by measurement, see
 * {@code docs/reliability.md}), each request turned into the API Gateway event the {@link
 * SearchHandler} takes on Lambda ({@link EventHandler}), and the answer written back.
 *
 * <p>Jetty reads requests on non-blocking selector threads, so slow or idle clients hold no request
 * thread; the limits in {@link ServerSettings} bound what they can hold instead. On SIGTERM
 * (systemd's stop) Jetty's shutdown hook stops accepting, lets requests in flight finish for up to
 * the stop timeout, then the JVM exits.
 *
 * <pre>{@code HttpServerMain server = HttpServerMain.start(new SearchHandler(), settings); ...
 * server.close();}</pre>
 */
public final class HttpServerMain implements AutoCloseable {
  /** Jetty's start/stop chatter is INFO; keep its warnings. Held: JUL forgets unheld loggers. */
  private static final java.util.logging.Logger JETTY_LOG =
      java.util.logging.Logger.getLogger("org.eclipse.jetty");

  static {
    JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final Server server;
  private final ServerConnector connector;
  private final HeaderReadTimeout headerTimeout;

  private HttpServerMain(Server server, ServerConnector connector, HeaderReadTimeout timeout) {
    this.server = server;
    this.connector = connector;
    this.headerTimeout = timeout;
  }

  /** Binds and starts serving {@code handler} on the configured address. */
  public static HttpServerMain start(SearchHandler handler, ServerSettings settings) {
    // One acceptor and one selector thread besides the request threads; no reserved threads, so
    // `threads` is the number of requests handled at once.
    QueuedThreadPool pool = new QueuedThreadPool(settings.threads() + 2, 2);
    pool.setName("http");
    pool.setReservedThreads(0);
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(settings.maxHeaderBytes());
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(settings.bind());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    HeaderReadTimeout headerTimeout = new HeaderReadTimeout(settings.headerTimeout());
    connector.addBean(headerTimeout);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
    server.setErrorHandler(new ProtocolErrors());
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(new EventHandler(handler, settings));
    server.setHandler(graceful);
    server.setStopTimeout(settings.stopTimeout().toMillis());
    server.setStopAtShutdown(true);
    try {
      server.start();
    } catch (Exception e) {
      headerTimeout.close();
      throw new ImageSearchException(
          "cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    return new HttpServerMain(server, connector, headerTimeout);
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops accepting, lets requests in flight finish (up to the stop timeout), then closes. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new ImageSearchException("stopping the HTTP server failed: " + e.getMessage(), e);
    } finally {
      headerTimeout.close();
    }
  }
}
