package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The exec and stream settings take effect: async default, buffer size, pings, clean-up. */
@RequiresBubblewrap
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
    registry.add("SANDBOX_STREAM_SUBSCRIBER_QUEUE", () -> "8");
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
  void lateSubscriberShouldGetFromTheStoreWhatTheBufferNoLongerHolds() throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    var exec =
        api.post(
            "/sandboxes/" + id + "/exec",
            "{\"command\":[\"bash\",\"-c\",\"echo a; sleep 0.2; echo b; sleep 0.2; echo c\"],"
                + "\"async\":false}");
    var stream =
        EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + exec.text("exec_id"));
    assertThat(stream.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
    var events = stream.events();
    assertThat(events)
        .as("a buffer of 3 events held only the last 3 of 5")
        .extracting(e -> e.event().get("seq").asInt())
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(new String(stream.output(exec.text("exec_id"), "stdout"), StandardCharsets.UTF_8))
        .isEqualTo("a\nb\nc\n");
    api.delete("/sandboxes/" + id);
  }

  @Test
  void streamShouldDeclinePermessageDeflateThatBrowsersAndWscatOffer() throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    var exec = api.bash(id, "echo hi");
    // What node's ws (wscat) sends by default; browsers offer the same extension.
    String head;
    try (var socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /sandboxes/"
                      + id
                      + "/stream?exec_id="
                      + exec.text("exec_id")
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n"
                      + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      // Only the response's head: the socket then stays open for the WebSocket.
      var received = new StringBuilder();
      var in = socket.getInputStream();
      while (!received.toString().contains("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        received.append((char) b);
      }
      head = received.toString().toLowerCase(Locale.ROOT);
    }
    assertThat(head).startsWith("http/1.1 101");
    assertThat(head).doesNotContain("sec-websocket-extensions");
    api.delete("/sandboxes/" + id);
  }

  @Test
  void idleStreamShouldBePingedAndItsSubscriberFreedWhenTheClientLeaves() throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    var pinged = new CompletableFuture<Void>();
    var socket =
        connect(
            id,
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                pinged.complete(null);
                return WebSocket.Listener.super.onPing(webSocket, message);
              }
            });
    pinged.get(5, TimeUnit.SECONDS);
    var log = eventLogs.forSandbox(id);
    assertThat(log.subscriberCount()).isEqualTo(1);
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    await().atMost(Duration.ofSeconds(5)).until(() -> log.subscriberCount() == 0);
    api.delete("/sandboxes/" + id);
  }

  @Test
  void stalledSubscriberShouldNotSlowTheExecAndShouldBeToldWhereToResume() throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    var closed = new CompletableFuture<String>();
    // Asks for no message: it stops reading, the socket's buffers fill, sends to it block.
    var stalled =
        connect(
            id,
            new WebSocket.Listener() {
              @Override
              public void onOpen(WebSocket webSocket) {}

              @Override
              public CompletionStage<?> onClose(WebSocket webSocket, int code, String why) {
                closed.complete(code + " " + why);
                return null;
              }
            });
    var exec =
        api.post(
            "/sandboxes/" + id + "/exec",
            "{\"command\":[\"bash\",\"-c\",\"head -c 30000000 /dev/zero | base64\"],"
                + "\"async\":false}");
    assertThat(exec.text("status")).as("the exec ends while nobody reads").isEqualTo("completed");

    stalled.request(Long.MAX_VALUE);
    var close = closed.get(30, TimeUnit.SECONDS);
    assertThat(close).matches("4008 too slow; resume with from_seq=\\d+");
    var resumeFrom = close.substring(close.indexOf('=') + 1);
    var resumed =
        EventStream.open(
            api,
            "/sandboxes/"
                + id
                + "/stream?exec_id="
                + exec.text("exec_id")
                + "&from_seq="
                + resumeFrom);
    resumed.awaitClose(Duration.ofSeconds(10));
    var events = resumed.events();
    assertThat(events.get(0).event().get("seq").asString())
        .as("the store still has it all: no gap")
        .isEqualTo(resumeFrom);
    assertThat(events).noneMatch(e -> e.type().equals("gap"));
    assertThat(events.get(events.size() - 1).type()).isEqualTo("exit");
    api.delete("/sandboxes/" + id);
  }

  @Test
  void fastAsyncOutputShouldBePacedToItsSubscriberInsteadOfDroppingIt() throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    // A queue of 8 events and a buffer of 3 (the settings above): read as fast as the command
    // writes, these 15 MB would overflow the queue at once and close the subscriber with 4008.
    var stream = EventStream.open(api, "/sandboxes/" + id + "/stream");
    var exec =
        api.post(
            "/sandboxes/" + id + "/exec", "{\"command\":[\"seq\",\"2000000\"],\"async\":true}");
    var execId = exec.text("exec_id");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                stream.isClosed()
                    || stream.events().stream()
                        .anyMatch(e -> e.type().equals("exit") && execId.equals(execIdOf(e))));
    assertThat(stream.isClosed()).as("closed: %s", stream.closeReason()).isFalse();
    var expected = new StringBuilder();
    for (int i = 1; i <= 2_000_000; i++) {
      expected.append(i).append('\n');
    }
    assertThat(new String(stream.output(execId, "stdout"), StandardCharsets.UTF_8))
        .isEqualTo(expected.toString());
    assertThat(stream.events()).noneMatch(e -> e.type().equals("gap"));
    stream.close();
    api.delete("/sandboxes/" + id);
  }

  private static String execIdOf(EventStream.Received received) {
    return received.event().get("exec_id").asString();
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

  /** Opens a stream of the sandbox's events with the listener, as a plain JDK client would. */
  private WebSocket connect(String sandboxId, WebSocket.Listener listener) {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .buildAsync(
            URI.create("ws://127.0.0.1:" + port + "/sandboxes/" + sandboxId + "/stream"), listener)
        .join();
  }
}
