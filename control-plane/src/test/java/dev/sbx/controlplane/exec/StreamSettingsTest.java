package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.StateDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The exec and stream settings take effect: async default, buffer size, pings, clean-up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamSettingsTest {

  private static final Path STATE_DIR = StateDirs.create("settings");

  @LocalServerPort int port;
  @Autowired EventLogs eventLogs;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_USE_ASYNC_EXEC", () -> "yes");
    registry.add("SANDBOX_STREAM_BUFFER", () -> "3");
    registry.add("SANDBOX_STREAM_PING_INTERVAL", () -> "200ms");
  }

  @Test
  void asyncInTheRequestShouldOverrideTheServerDefaultBothWays() {
    var api = new Api(port);
    var id = api.createSandbox();
    var byDefault = api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"true\"]}");
    assertThat(byDefault.status()).isEqualTo(202);
    var sync = api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"true\"],\"async\":false}");
    assertThat(sync.status()).isEqualTo(200);
    assertThat(sync.json().get("exit_code").asInt()).isZero();
    api.delete("/sandboxes/" + id);
  }

  @Test
  void lateSubscriberShouldGetOnlyWhatTheBufferStillHolds() throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    var exec =
        api.post(
            "/sandboxes/" + id + "/exec",
            "{\"command\":[\"bash\",\"-c\",\"echo a; sleep 0.2; echo b; sleep 0.2; echo c\"],"
                + "\"async\":false}");
    var stream =
        dev.sbx.controlplane.testing.EventStream.open(
            api, "/sandboxes/" + id + "/stream?exec_id=" + exec.text("exec_id"));
    assertThat(stream.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
    assertThat(stream.events())
        .extracting(e -> e.event().get("seq").asInt())
        .containsExactly(3, 4, 5);
    api.delete("/sandboxes/" + id);
  }

  @Test
  void idleStreamShouldBePingedAndItsSubscriberFreedWhenTheClientLeaves() throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    var pinged = new CompletableFuture<Void>();
    var socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/sandboxes/" + id + "/stream"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                    pinged.complete(null);
                    return WebSocket.Listener.super.onPing(webSocket, message);
                  }
                })
            .join();
    pinged.get(5, java.util.concurrent.TimeUnit.SECONDS);
    var log = eventLogs.forSandbox(id);
    assertThat(log.subscriberCount()).isEqualTo(1);
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    await().atMost(Duration.ofSeconds(5)).until(() -> log.subscriberCount() == 0);
    api.delete("/sandboxes/" + id);
  }

  @Test
  void deleteShouldFreeTheSandboxesEventLog() {
    var api = new Api(port);
    var before = eventLogs.size();
    var id = api.createSandbox();
    api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"true\"],\"async\":false}");
    assertThat(eventLogs.size()).isEqualTo(before + 1);
    api.delete("/sandboxes/" + id);
    assertThat(eventLogs.size()).isEqualTo(before);
  }
}
