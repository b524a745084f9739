package dev.imagesearch.rehearsal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small stand-in for the Lambda Runtime API on loopback: the runtime interface client asks {@code
 * GET /2018-06-01/runtime/invocation/next} for an event (held until {@link #invoke} queues one) and
 * posts the handler's answer to {@code .../invocation/<id>/response} (or {@code /error}, or {@code
 * /runtime/init/error} when the handler cannot even be created). Only what the client uses is
 * implemented.
 */
final class LambdaRuntimeApi implements AutoCloseable {
  private static final String PREFIX = "/2018-06-01/runtime/";

  /** What the runtime posted back for one invocation. */
  record Answer(String kind, String body) {}

  private record Invocation(String id, String event) {}

  private final HttpServer server;
  private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();
  private final CompletableFuture<Answer> initError = new CompletableFuture<>();
  private final CompletableFuture<Void> restored = new CompletableFuture<>();

  LambdaRuntimeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(PREFIX, this::handle);
    server.start();
  }

  /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Whether a SnapStart runtime asked for {@code restore/next} (its checkpoint hooks ran). */
  boolean restored() {
    return restored.isDone();
  }

  /** Hands {@code event} to the runtime and waits for its answer. */
  Answer invoke(String event, Duration timeout) throws Exception {
    String id = UUID.randomUUID().toString();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    answers.put(id, answer);
    pending.put(new Invocation(id, event));
    return CompletableFuture.anyOf(answer, initError)
        .thenApply(Answer.class::cast)
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
        Invocation next = pending.take();
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next.id());
        exchange
            .getResponseHeaders()
            .add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
        exchange
            .getResponseHeaders()
            .add(
                "Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:image-search:live");
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-rehearsal");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, 200, next.event());
      } else if (path.startsWith("invocation/") && exchange.getRequestMethod().equals("POST")) {
        String[] parts = path.split("/");
        CompletableFuture<Answer> answer = answers.remove(parts[1]);
        if (answer != null) {
          answer.complete(new Answer(parts[2], body));
        }
        send(exchange, 202, "{\"status\":\"OK\"}");
      } else if (path.equals("restore/next") && exchange.getRequestMethod().equals("GET")) {
        // SnapStart: the snapshot was "taken"; the runtime now restores and runs afterRestore.
        restored.complete(null);
        send(exchange, 200, "");
      } else if (path.equals("init/error") || path.equals("restore/error")) {
        initError.complete(new Answer(path, body));
        send(exchange, 202, "{\"status\":\"OK\"}");
      } else {
        send(exchange, 404, "{\"message\":\"not in the stand-in: " + path + "\"}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
