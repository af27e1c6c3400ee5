package dev.sbx.cli.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A control plane on a loopback port: canned HTTP answers from a JDK {@code HttpServer}, and the
 * exec stream from a {@link FakeWebSocketServer}, both behind one address as in the real API.
 */
public final class FakeControlPlane implements AutoCloseable {

  private static final long AWAIT_MILLIS = TimeUnit.SECONDS.toMillis(10);

  /**
   * One HTTP request the fake received.
   *
   * @param headers by lower-case name
   */
  public record Request(
      String method, String path, Map<String, String> headers, String body, String query) {}

  private record Answer(int status, String contentType, String body) {}

  private final HttpServer http;
  private final FakeWebSocketServer front;
  private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new ArrayList<>();

  private FakeControlPlane() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", this::handle);
    http.start();
    front = new FakeWebSocketServer(this::forwardToHttp);
  }

  public static FakeControlPlane start() throws IOException {
    return new FakeControlPlane();
  }

  /** What to give as {@code -addr} or {@code SBX_ADDR}. */
  public String url() {
    return "http://127.0.0.1:" + front.port();
  }

  public FakeControlPlane respond(String method, String path, int status, String json) {
    return respond(method, path, status, "application/json", json);
  }

  public FakeControlPlane respond(
      String method, String path, int status, String contentType, String body) {
    answers.put(method + " " + path, List.of(new Answer(status, contentType, body)));
    return this;
  }

  /** Answers each request with the next of {@code jsons}, and then always with the last. */
  public FakeControlPlane respondInTurn(String method, String path, int status, String... jsons) {
    var turns = new ArrayList<Answer>();
    for (String json : jsons) {
      turns.add(new Answer(status, "application/json", json));
    }
    answers.put(method + " " + path, turns);
    return this;
  }

  /** Answers with an RFC 9457 problem, shaped like the real control plane's. */
  public FakeControlPlane problem(
      String method, String path, int status, String title, String detail) {
    return respond(
        method, path, status, "application/problem+json", problemJson(status, title, detail));
  }

  public static String problemJson(int status, String title, String detail) {
    return "{\"type\":\"urn:sbx:problem:test\",\"title\":\""
        + title
        + "\",\"status\":"
        + status
        + ",\"detail\":\""
        + detail
        + "\",\"error\":\""
        + detail
        + "\"}";
  }

  /** What the exec stream does with each WebSocket connection. */
  public FakeControlPlane stream(FakeWebSocketServer.Script script) {
    front.script(script);
    return this;
  }

  public FakeControlPlane rejectStream(int status, String title, String detail) {
    front.reject(status, problemJson(status, title, detail));
    return this;
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Waits until a request for {@code method path} has arrived, and returns it. */
  public Request awaitRequest(String method, String path) throws InterruptedException {
    long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
    synchronized (requests) {
      while (true) {
        for (Request request : requests) {
          if (request.method().equals(method) && request.path().equals(path)) {
            return request;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("no " + method + " " + path + " within 10 s; got " + requests);
        }
        requests.wait(left);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    var headers = new ConcurrentHashMap<String, String>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    synchronized (requests) {
      requests.add(new Request(method, path, headers, body, exchange.getRequestURI().getQuery()));
      requests.notifyAll();
    }
    Answer answer = answer(method + " " + path);
    if (answer == null) {
      answer =
          new Answer(
              404, "application/problem+json", problemJson(404, "Not found", "no route " + path));
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    // One request per connection keeps the forwarding below simple: it ends when HTTP does.
    exchange.getResponseHeaders().set("Connection", "close");
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Answer answer(String route) {
    List<Answer> turns = answers.get(route);
    if (turns == null) {
      return null;
    }
    synchronized (turns) {
      return turns.size() > 1 ? turns.remove(0) : turns.get(0);
    }
  }

  private void forwardToHttp(Socket client, byte[] head, InputStream in) {
    try (var upstream = new Socket(InetAddress.getLoopbackAddress(), http.getAddress().getPort())) {
      upstream.getOutputStream().write(head);
      var upload = new Thread(() -> copy(in, upstream));
      upload.setDaemon(true);
      upload.start();
      upstream.getInputStream().transferTo(client.getOutputStream());
    } catch (IOException e) {
      // Either side hanging up ends the exchange; that is not the test's business.
    }
  }

  private static void copy(InputStream in, Socket upstream) {
    try {
      in.transferTo(upstream.getOutputStream());
    } catch (IOException e) {
      // The upstream closed first, after answering.
    }
  }

  @Override
  public void close() throws Exception {
    http.stop(0);
    front.close();
  }
}
