package dev.sbx.cli.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket server on a loopback port that does the real RFC 6455 server handshake, then hands
 * each connection to a script; requests that are not upgrades go to an optional plain handler.
 */
public final class FakeWebSocketServer implements AutoCloseable {

  /** What the server does with one accepted WebSocket connection. */
  public interface Script {
    void run(ServerWebSocket socket) throws Exception;
  }

  /** Serves a request that is not a WebSocket upgrade; {@code head} is everything read so far. */
  public interface PlainHandler {
    void handle(Socket socket, byte[] head, InputStream in) throws IOException;
  }

  private final ServerSocket server;
  private final PlainHandler plain;
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();
  private volatile Script script = socket -> {};
  private volatile String rejection;

  public FakeWebSocketServer(PlainHandler plain) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.plain = plain;
    spawn(this::acceptLoop);
  }

  public static FakeWebSocketServer start(Script script) throws IOException {
    var server = new FakeWebSocketServer(null);
    server.script(script);
    return server;
  }

  public int port() {
    return server.getLocalPort();
  }

  public void script(Script script) {
    this.script = script;
  }

  /** Answers every handshake with this status and problem body instead of upgrading. */
  public void reject(int status, String problemJson) {
    byte[] body = problemJson.getBytes(StandardCharsets.UTF_8);
    rejection =
        "HTTP/1.1 "
            + status
            + " Rejected\r\nContent-Type: application/problem+json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n"
            + problemJson;
  }

  private void acceptLoop() throws IOException {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      synchronized (sockets) {
        sockets.add(socket);
      }
      spawn(() -> serve(socket));
    }
  }

  private void serve(Socket socket) throws Exception {
    try (socket) {
      var in = new BufferedInputStream(socket.getInputStream());
      byte[] head = head(in);
      if (head == null) {
        return;
      }
      String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
      var headers = new HashMap<String, String>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      if (!"websocket".equalsIgnoreCase(headers.get("upgrade"))) {
        plain.handle(socket, head, in);
      } else if (rejection != null) {
        socket.getOutputStream().write(rejection.getBytes(StandardCharsets.UTF_8));
      } else {
        accept(socket, headers);
        script.run(new ServerWebSocket(socket, in, lines[0], headers));
      }
    }
  }

  private static void accept(Socket socket, Map<String, String> headers) throws Exception {
    String key = headers.get("sec-websocket-key");
    if (key == null || !"13".equals(headers.get("sec-websocket-version"))) {
      throw new AssertionError("not a valid WebSocket handshake: " + headers);
    }
    String accept =
        Base64.getEncoder().encodeToString(sha1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    String response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + accept
            + "\r\n\r\n";
    socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  static byte[] sha1(String text) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static byte[] head(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0 && head.size() == 0) {
        return null;
      }
      if (b < 0) {
        throw new IOException("connection closed before the request head ended");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private interface Task {
    void run() throws Exception;
  }

  private void spawn(Task task) {
    var thread =
        new Thread(
            () -> {
              try {
                task.run();
              } catch (Throwable e) {
                synchronized (failures) {
                  failures.add(e);
                }
              }
            });
    thread.setDaemon(true);
    synchronized (threads) {
      threads.add(thread);
    }
    thread.start();
  }

  /** Stops serving and fails with the first error or broken assertion of any script. */
  @Override
  public void close() throws Exception {
    server.close();
    synchronized (sockets) {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    List<Thread> started;
    synchronized (threads) {
      started = new ArrayList<>(threads);
    }
    for (Thread thread : started) {
      thread.join(5_000);
    }
    synchronized (failures) {
      if (!failures.isEmpty()) {
        var error = new AssertionError("the fake WebSocket server failed", failures.get(0));
        failures.stream().skip(1).forEach(error::addSuppressed);
        throw error;
      }
    }
  }
}
