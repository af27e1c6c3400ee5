package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the stream sidecar on the ingest WebSocket: sends a frame, waits for its answer.
 */
final class FakeSidecar implements WebSocket.Listener, AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  static FakeSidecar connect(int port, String id, String token) {
    var sidecar = new FakeSidecar();
    var builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    sidecar.socket =
        builder
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/sandboxes/" + id + "/ingest"), sidecar)
            .join();
    return sidecar;
  }

  JsonNode send(String frame) {
    socket.sendText(frame, true).join();
    try {
      var reply = replies.poll(10, TimeUnit.SECONDS);
      assertThat(reply)
          .as("an answer to " + frame.substring(0, Math.min(60, frame.length())))
          .isNotNull();
      return JSON.readTree(reply);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      replies.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }
}
