package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.imagesearch.server.HttpServerMain;
import dev.imagesearch.server.RawHttp;
import dev.imagesearch.server.ServerSettings;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HttpResponse;
import dev.imagesearch.web.SearchHandler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage, attacks and accidents through both doors (a real socket, and the API Gateway event the
 * Lambda receives), against the real application (tiny model, demo index). Every row states the
 * status each door must answer; every answer must be in the route family's format (JSON under
 * {@code /api}, a page elsewhere) with the request id the {@code X-Request-Id} header carries and
 * the security headers, and never a 5xx, an exception name or a stack trace. Extend the table
 * whenever something new is found.
 */
class BadInputTest {
  private static final String LONG_WORD = "a".repeat(2_000);
  private static final String HUGE = "word+".repeat(13_108); // 65,540 characters
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static Bootstrap.Wired wired;
  private static SearchHandler handler;
  private static HttpServerMain server;

  /**
   * One input.
   *
   * @param socket the status the socket server must answer
   * @param lambda the status the Lambda door must answer; 0 where the row tests a socket limit (API
   *     Gateway enforces its own before the function runs)
   * @param api whether the answer is JSON (else a page)
   */
  record Row(
      String name,
      String method,
      byte[] target,
      String headers,
      byte[] body,
      int socket,
      int lambda,
      boolean api) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row get(String name, String target, int status, boolean api) {
    return get(name, target, status, status, api);
  }

  /** The socket server refuses ambiguous paths (encoded slashes, dot segments) before routing. */
  static Row get(String name, String target, int socket, int lambda, boolean api) {
    return new Row(name, "GET", bytes(target), "", new byte[0], socket, lambda, api);
  }

  static Stream<Row> rows() {
    return Stream.of(
        get("empty query", "/api/search?q=", 400, true),
        get("no query", "/api/search", 400, true),
        get("whitespace-only query", "/api/search?q=%20%09%0A+", 400, true),
        get("zero-width-only query", "/api/search?q=%E2%80%8B%E2%80%8D", 400, true),
        get("control character", "/api/search?q=red%00circle", 400, true),
        get("bell character on the page", "/?q=red%07circle", 400, false),
        get("single huge word", "/api/search?q=" + LONG_WORD, 400, true),
        new Row(
            "64 KB query", "GET", bytes("/api/search?q=" + HUGE), "", new byte[0], 414, 400, true),
        get("emoji", "/api/search?q=%F0%9F%90%A6+on+a+branch", 200, true),
        get("right-to-left text", "/api/search?q=%D8%B7%D8%A7%D8%A6%D8%B1", 200, true),
        get("zero-width inside words", "/api/search?q=red%E2%80%8Bcircle", 200, true),
        get("invalid UTF-8 (escaped)", "/api/search?q=%FF%FE", 400, true),
        get("truncated UTF-8", "/api/search?q=%E2%80", 400, true),
        get("broken escape", "/api/search?q=%ZZ", 400, true),
        get("lone percent", "/api/search?q=100%", 400, true),
        get("broken escape on the page", "/?q=%ZZ", 400, false),
        new Row(
            "invalid UTF-8 (raw bytes)",
            "GET",
            new byte[] {'/', 'a', 'p', 'i', '/', 's', 'e', 'a', 'r', 'c', 'h', '?', 'q', '=', -1},
            "",
            new byte[0],
            400,
            400,
            true),
        get("k zero", "/api/search?q=red&k=0", 400, true),
        get("k negative", "/api/search?q=red&k=-5", 400, true),
        get("k huge", "/api/search?q=red&k=99999999999999", 400, true),
        get("k not a number", "/api/search?q=red&k=ten", 400, true),
        get("k repeated", "/api/search?q=red&k=1&k=100", 400, true),
        get("q repeated", "/api/search?q=red&q=blue", 400, true),
        get("offset negative", "/api/search?q=red&offset=-1", 400, true),
        get("offset huge", "/api/search?q=red&offset=1000000000", 400, true),
        get("offset not a number", "/api/search?q=red&offset=1e3", 400, true),
        get("k zero on the page", "/?q=red&k=0", 400, false),
        get("unknown parameter", "/api/search?q=red&qq=blue", 400, true),
        get(
            "markup in q (page: text and attribute)",
            "/?q=%22%3E%3Cscript%3Ex%3C/script%3E",
            200,
            false),
        get("markup in q (API)", "/api/search?q=%3Cscript%3Ex%3C/script%3E", 200, true),
        get("markup in k (page)", "/?q=red&k=%3Cscript%3Ex", 400, false),
        get("markup in k (API)", "/api/search?q=red&k=%3Cscript%3Ex", 400, true),
        get("markup in similar (page)", "/?similar=%3Cscript%3Ex%3C/script%3E", 404, false),
        get("markup in key (API)", "/api/similar?key=%3Cscript%3Ex", 404, true),
        get("markup in a path", "/%3Cscript%3Ex%3C/script%3E", 404, false),
        get("traversal in key", "/api/similar?key=../../etc/passwd", 404, true),
        get("encoded traversal in key", "/api/similar?key=..%2F..%2Fetc%2Fpasswd", 404, true),
        get("double-encoded traversal", "/api/similar?key=%252e%252e%252fetc", 404, true),
        get(
            "traversal in a file link",
            "/files/..%2F..%2Fetc%2Fpasswd?expires=1&sig=x",
            400,
            404,
            false),
        get("traversal in a static file", "/static/..%2F..%2Fpom.xml", 400, 404, false),
        get("dot segments in a static file", "/static/%2e%2e/%2e%2e/pom.xml", 400, 404, false),
        get("unsigned file link", "/files/images/a.jpg", 403, false),
        get("unknown route", "/wp-admin/setup.php", 404, false),
        get("unknown API route", "/api/nothing", 404, true),
        new Row(
            "DELETE on the API",
            "DELETE",
            bytes("/api/search?q=x"),
            "",
            new byte[0],
            405,
            405,
            true),
        new Row("PUT on the page", "PUT", bytes("/"), "", new byte[0], 405, 405, false),
        new Row("unknown method", "BREW", bytes("/"), "", new byte[0], 405, 405, false),
        new Row(
            "oversized URL",
            "GET",
            bytes("/api/search?q=" + "a".repeat(20_000)),
            "",
            new byte[0],
            414,
            0,
            false),
        new Row(
            "oversized headers",
            "GET",
            bytes("/api/search?q=red"),
            "X-Padding: " + "a".repeat(20_000) + "\r\n",
            new byte[0],
            431,
            0,
            true),
        new Row(
            "oversized body",
            "POST",
            bytes("/api/search?q=red"),
            "Content-Type: application/json\r\n",
            new byte[100_000],
            413,
            0,
            true),
        new Row(
            "body on a search",
            "POST",
            bytes("/api/search?q=red"),
            "Content-Type: application/json\r\n",
            bytes("{\"q\":\"red\"}"),
            405,
            405,
            true));
  }

  @BeforeAll
  static void start() {
    DemoCollection.Built demo = DemoCollection.local();
    wired = Bootstrap.webApp(demo.env());
    wired.watcher().poll();
    handler = new SearchHandler(wired::app);
    server = HttpServerMain.start(handler, new ServerSettings("127.0.0.1", 0, 4));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (wired != null) wired.watcher().close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void socketDoor(Row row) throws Exception {
    RawHttp.Answer answer =
        RawHttp.send(
            server.port(), RawHttp.request(row.method(), row.target(), row.headers(), row.body()));
    check(row, row.socket(), answer.status(), answer.headers(), answer.text());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void lambdaDoor(Row row) {
    if (row.lambda() == 0) {
      return; // a socket limit: API Gateway answers these itself
    }
    // API Gateway hands the function text: bytes that are not UTF-8 arrive as U+FFFD.
    String target = new String(row.target(), StandardCharsets.UTF_8);
    int q = target.indexOf('?');
    HttpResponse answer =
        handler.handle(
            APIGatewayV2HTTPEvent.builder()
                .withRawPath(q < 0 ? target : target.substring(0, q))
                .withRawQueryString(q < 0 ? "" : target.substring(q + 1))
                .withHeaders(Map.of("host", "example.execute-api.eu-west-1.amazonaws.com"))
                .withBody(
                    row.body().length == 0 ? null : new String(row.body(), StandardCharsets.UTF_8))
                .withRequestContext(
                    APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withStage("$default")
                        .withRequestId(java.util.UUID.randomUUID().toString())
                        .withHttp(
                            APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(row.method())
                                .build())
                        .build())
                .build());
    check(row, row.lambda(), answer.status(), answer.headers(), answer.bodyText());
  }

  /** After the whole table, through both doors, a normal query still gets its answer. */
  @Test
  void keepsServingAfterwards() throws Exception {
    rows()
        .forEach(
            row -> {
              try {
                RawHttp.send(
                    server.port(),
                    RawHttp.request(row.method(), row.target(), row.headers(), row.body()));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    RawHttp.Answer answer =
        RawHttp.send(
            server.port(),
            RawHttp.request("GET", bytes("/api/search?q=red+circle&k=3"), "", new byte[0]));
    assertEquals(200, answer.status(), answer.text());
    assertTrue(answer.text().contains("\"hits\""), answer.text());
  }

  private static void check(
      Row row, int expected, int status, Map<String, String> headers, String body) {
    Map<String, String> h = lower(headers);
    String where =
        row.name() + " -> " + status + " " + body.substring(0, Math.min(300, body.length()));
    assertEquals(expected, status, where);
    assertTrue(status < 500, where);
    String type = h.getOrDefault("content-type", "");
    // A URL too long to read has no known route, so its refusal is a page.
    boolean api = row.api() && status != 414;
    assertTrue(
        api ? type.startsWith("application/json") : type.startsWith("text/html"),
        where + " content-type " + type);
    assertEquals("nosniff", h.get("x-content-type-options"), where);
    assertEquals("no-referrer", h.get("referrer-policy"), where);
    assertTrue(
        h.getOrDefault("content-security-policy", "").contains("frame-ancestors 'none'"), where);
    if (status >= 400) {
      String id = h.get("x-request-id");
      Matcher m = UUID.matcher(id == null ? "" : id);
      assertTrue(m.matches(), where + " x-request-id " + id);
      assertTrue(body.contains(id), where + ": the body must quote the request id " + id);
    }
    for (String leak : new String[] {"Exception", "\tat ", "java.", "org.eclipse", "jetty"}) {
      assertFalse(body.contains(leak), where + " leaks '" + leak + "'");
    }
    if (!row.api()) {
      // Markup from any parameter is shown as text (escaped), never as markup.
      assertFalse(body.toLowerCase(Locale.ROOT).contains("<script>x"), where);
    }
  }

  private static Map<String, String> lower(Map<String, String> headers) {
    Map<String, String> out = new java.util.HashMap<>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
