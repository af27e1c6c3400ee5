package dev.sbx.cli.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** An MCP endpoint on a loopback port whose answers a test writes as a function of the request. */
public final class FakeMcpServer implements AutoCloseable {

  /**
   * One request the fake received.
   *
   * @param headers by lower-case name
   */
  public record Request(String method, String path, Map<String, String> headers, String body) {}

  /** An answer: status, content type (null for none), extra headers, body (empty for none). */
  public record Reply(int status, String contentType, Map<String, String> headers, String body) {

    public static Reply json(String body) {
      return new Reply(200, "application/json", Map.of(), body);
    }

    /** A {@code text/event-stream} with one {@code message} event per JSON-RPC message. */
    public static Reply events(String... messages) {
      var body = new StringBuilder();
      for (String message : messages) {
        body.append("event: message\ndata: ").append(message).append("\n\n");
      }
      return new Reply(200, "text/event-stream", Map.of(), body.toString());
    }

    public static Reply accepted() {
      return new Reply(202, null, Map.of(), "");
    }

    public Reply withHeader(String name, String value) {
      var all = new ConcurrentHashMap<>(headers);
      all.put(name, value);
      return new Reply(status, contentType, all, body);
    }
  }

  private final HttpServer http;
  private final List<Request> requests = new ArrayList<>();

  private FakeMcpServer(Function<Request, Reply> answers) throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", exchange -> handle(exchange, answers));
    // Requests are answered concurrently, as the bridge sends them.
    http.setExecutor(Executors.newCachedThreadPool());
    http.start();
  }

  public static FakeMcpServer start(Function<Request, Reply> answers) throws IOException {
    return new FakeMcpServer(answers);
  }

  /** What to give as {@code -addr}. */
  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange exchange, Function<Request, Reply> answers) throws IOException {
    var headers = new ConcurrentHashMap<String, String>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    var request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            headers,
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    synchronized (requests) {
      requests.add(request);
    }
    var reply = answers.apply(request);
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    if (reply.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    }
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
