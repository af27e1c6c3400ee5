package dev.sbx.controlplane.testing;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real client of {@code /sandboxes/{id}/tty}: keeps the terminal's output and the controls. */
public final class TerminalClient implements WebSocket.Listener {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final List<JsonNode> controls = new CopyOnWriteArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile WebSocket socket;

  public static TerminalClient open(Api api, String pathAndQuery) {
    var client = new TerminalClient();
    client.socket = EventStream.connect(api, pathAndQuery, client);
    return client;
  }

  /** Types the text as terminal input (a binary frame). */
  public TerminalClient type(String keys) {
    socket.sendBinary(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8)), true).join();
    return this;
  }

  /** Sends a control message (a text frame). */
  public TerminalClient control(String json) {
    socket.sendText(json, true).join();
    return this;
  }

  /** Drops the connection without a close handshake, as a lost network does. */
  public void drop() {
    socket.abort();
  }

  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  public synchronized String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  /** Waits until the output so far contains the text; returns the output. */
  public String awaitOutput(String expected, Duration timeout) throws InterruptedException {
    return awaitOutput(out -> out.contains(expected), "output containing " + expected, timeout);
  }

  public synchronized String awaitOutput(Predicate<String> done, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(output())) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || closed.isDone() && !done.test(output())) {
        throw new AssertionError("no " + what + " within " + timeout + "; got: " + output());
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }
    return output();
  }

  /** The control messages of that type the server sent so far. */
  public List<JsonNode> controls(String type) {
    return controls.stream().filter(c -> type.equals(c.path("type").asString(""))).toList();
  }

  /** The first control message of that type, once it came. */
  public JsonNode awaitControl(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (controls(type).isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no " + type + " message within " + timeout + ": " + controls);
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
    return controls(type).get(0);
  }

  public String execId() throws InterruptedException {
    return awaitControl("started", Duration.ofSeconds(10)).path("exec_id").asString();
  }

  /** The close code the server sent, once it closed. */
  public int awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    var bytes = new byte[data.remaining()];
    data.get(bytes);
    output.write(bytes, 0, bytes.length);
    notifyAll();
    ws.request(1);
    return null;
  }

  @Override
  public synchronized CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      controls.add(JSON.readTree(text.toString()));
      text.setLength(0);
      notifyAll();
    }
    ws.request(1);
    return null;
  }

  @Override
  public synchronized CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(statusCode);
    notifyAll();
    return null;
  }

  @Override
  public synchronized void onError(WebSocket ws, Throwable error) {
    closed.completeExceptionally(error);
    notifyAll();
  }
}
