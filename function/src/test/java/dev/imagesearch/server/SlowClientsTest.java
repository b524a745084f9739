package dev.imagesearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.web.SearchHandler;
import dev.imagesearch.web.TestServices;
import dev.imagesearch.web.WebApp;
import dev.imagesearch.web.WebSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack from the issue, and worse: hundreds of idle kept-alive connections and dozens of
 * clients trickling their headers one byte a second do not keep a normal query from its answer; the
 * trickling clients are cut off with a 408 in our format when the header timeout passes.
 */
class SlowClientsTest {
  private static final byte[] SLOW_REQUEST =
      "GET /api/search?q=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-A: b\r\n"
          .repeat(4)
          .getBytes(StandardCharsets.ISO_8859_1);
  private HttpServerMain server;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    WebApp app = new WebApp(TestServices.fixed(), WebSettings.defaults());
    // Four request threads, as on a small instance; a header timeout short enough for a test.
    server =
        HttpServerMain.start(
            new SearchHandler(() -> app),
            new ServerSettings("127.0.0.1", 0, 4)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(4)));
  }

  @AfterEach
  void stop() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a test client
      }
    }
    server.close();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    sockets.add(socket);
    return socket;
  }

  @Test
  void idleAndTricklingClientsDoNotStopANormalQuery() throws Exception {
    // 500 kept-alive connections: each asks once, reads its answer, then says nothing more.
    for (int i = 0; i < 500; i++) {
      Socket idle = connect();
      idle.getOutputStream()
          .write(
              "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, RawHttp.read(idle.getInputStream()).status());
    }
    // 50 clients sending their request line and headers one byte a second.
    ConcurrentLinkedQueue<RawHttp.Answer> cutOff = new ConcurrentLinkedQueue<>();
    ExecutorService trickle = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<?>> slow = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Socket socket = connect();
      slow.add(trickle.submit(() -> trickleUntilCutOff(socket, cutOff)));
    }
    Thread.sleep(2_000); // every slow client is now part-way through its headers

    long start = System.nanoTime();
    RawHttp.Answer answer =
        RawHttp.send(
            server.port(),
            RawHttp.request("GET", "/api/search?q=red+circle&k=2".getBytes(), "", new byte[0]));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(200, answer.status(), answer.text());
    assertTrue(answer.text().contains("\"hits\""), answer.text());
    // A generous bound (the point is "answered", not "fast"): the JDK server never answered.
    assertTrue(seconds < 5, "answered only after " + seconds + " s");

    // The header timeout (4 s) then cuts every trickling client off with a 408 page.
    for (Future<?> f : slow) {
      f.get(30, TimeUnit.SECONDS);
    }
    trickle.shutdown();
    assertEquals(50, cutOff.size());
    for (RawHttp.Answer a : cutOff) {
      assertEquals(408, a.status());
      assertEquals("close", a.header("connection"));
      assertTrue(a.text().contains("the request took too long to arrive"), a.text());
      assertTrue(a.text().contains(a.header("x-request-id")), a.text());
    }
    // The idle connections are still open and still served (their idle timeout is 30 s).
    Socket idle = sockets.get(0);
    idle.getOutputStream()
        .write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, RawHttp.read(idle.getInputStream()).status());
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    server.close();
    WebApp app = new WebApp(TestServices.fixed(), WebSettings.defaults());
    server =
        HttpServerMain.start(
            new SearchHandler(() -> app),
            new ServerSettings("127.0.0.1", 0, 4)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(4)));
    Socket idle = connect();
    idle.setSoTimeout(20_000);
    // The server closes the connection: the read ends (-1) instead of waiting for 20 s.
    assertEquals(-1, idle.getInputStream().read());
  }

  private static void trickleUntilCutOff(Socket socket, ConcurrentLinkedQueue<RawHttp.Answer> out) {
    try {
      socket.setSoTimeout(30_000);
      OutputStream os = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (byte b : SLOW_REQUEST) {
        try {
          os.write(b);
          os.flush();
        } catch (IOException closed) {
          break; // the server has answered and closed: read what it said
        }
        if (in.available() > 0) {
          break;
        }
        Thread.sleep(1_000);
      }
      out.add(RawHttp.read(in));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
