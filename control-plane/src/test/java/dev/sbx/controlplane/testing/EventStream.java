package dev.sbx.controlplane.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket subscriber that records each event with the moment it arrived. */
public final class EventStream implements WebSocket.Listener {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One received event. */
  public record Received(JsonNode event, long nanoTime) {
    public String type() {
      return event.get("type").asString();
    }
  }

  private final List<Received> events = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile String closeReason;

  public static EventStream open(Api api, String pathAndQuery) {
    var stream = new EventStream();
    stream.socket = connect(api, pathAndQuery, stream);
    return stream;
  }

  static WebSocket connect(Api api, String pathAndQuery, WebSocket.Listener listener) {
    var builder = HttpClient.newHttpClient().newWebSocketBuilder();
    builder.connectTimeout(Duration.ofSeconds(5));
    if (api.token() != null) {
      builder.header("Authorization", "Bearer " + api.token());
    }
    var uri = URI.create(api.base().replace("http://", "ws://") + pathAndQuery);
    return builder.buildAsync(uri, listener).join();
  }

  private volatile WebSocket socket;

  /** Closes the socket from this side. */
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /** The bytes of one exec's output events of one stream (stdout or stderr), decoded. */
  public byte[] output(String execId, String streamName) {
    var bytes = new ByteArrayOutputStream();
    for (var received : events) {
      var event = received.event();
      if ("output".equals(received.type())
          && execId.equals(event.get("exec_id").asString())
          && streamName.equals(event.get("stream").asString())) {
        var data = event.get("data").asString();
        bytes.writeBytes(
            event.has("encoding")
                ? Base64.getDecoder().decode(data)
                : data.getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      events.add(new Received(JSON.readTree(partial.toString()), System.nanoTime()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** Waits for the server to close the socket and returns the close code. */
  public int awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public String closeReason() {
    return closeReason;
  }

  public List<Received> events() {
    return List.copyOf(events);
  }
}
