package dev.sbx.controlplane.testing;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Connects, reads one event, disconnects: a client whose connection keeps breaking. */
public final class OneEvent implements WebSocket.Listener {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final CompletableFuture<JsonNode> first = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();

  public static JsonNode read(Api api, String pathAndQuery) throws Exception {
    var listener = new OneEvent();
    var socket = EventStream.connect(api, pathAndQuery, listener);
    try {
      return listener.first.get(10, TimeUnit.SECONDS);
    } finally {
      socket.abort();
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      first.complete(JSON.readTree(partial.toString()));
    } else {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    first.completeExceptionally(error);
  }
}
