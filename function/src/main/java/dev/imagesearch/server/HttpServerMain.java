package dev.imagesearch.server;

import com.sun.net.httpserver.HttpServer;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.SearchHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The socket door for EC2 and laptops: the JDK's own {@code HttpServer}, each request turned into
 * the API Gateway event the {@link SearchHandler} takes on Lambda, and the answer written back.
 *
 * <pre>{@code HttpServerMain server = HttpServerMain.start(new SearchHandler(), settings); ...
 * server.stop();}</pre>
 */
public final class HttpServerMain implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpServerMain.class.getName());
  private final HttpServer server;
  private final ExecutorService executor;

  private HttpServerMain(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds and starts serving {@code handler} on the configured address. */
  public static HttpServerMain start(SearchHandler handler, ServerSettings settings)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 128);
    ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), requestThreads());
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try {
            HttpResponse response;
            try {
              response = handler.handle(ExchangeEvents.toEvent(exchange));
            } catch (IOException e) {
              response = HttpResponse.text(413, e.getMessage());
            }
            ExchangeEvents.write(exchange, response);
          } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "client went away: " + e.getMessage());
            exchange.close();
          }
        });
    server.start();
    return new HttpServerMain(server, executor);
  }

  private static java.util.concurrent.ThreadFactory requestThreads() {
    return runnable -> {
      Thread t = new Thread(runnable, "http");
      t.setDaemon(false);
      return t;
    };
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
