package dev.sbx.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.cli.testing.FakeWebSocketServer;
import dev.sbx.cli.testing.ServerWebSocket;
import dev.sbx.cli.testing.ServerWebSocket.ClientFrame;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebSocketClientTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static WebSocketClient connect(FakeWebSocketServer server, String authorization)
      throws Exception {
    var uri = URI.create("ws://127.0.0.1:" + server.port() + "/sandboxes/demo/stream");
    return WebSocketClient.connect(uri, authorization, "sbx/test");
  }

  @Test
  void receiveShouldJoinAFragmentedMessageEvenWithAPingBetweenTheFragments() throws Exception {
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  ws.sendFrame(false, ServerWebSocket.TEXT, utf8("{\"data\":\"hé"));
                  ws.sendFrame(true, ServerWebSocket.PING, utf8("x"));
                  ws.sendFrame(false, ServerWebSocket.CONTINUATION, utf8("llo "));
                  ws.sendFrame(true, ServerWebSocket.CONTINUATION, utf8("world\"}"));
                  ws.awaitClientClose();
                });
        var client = connect(server, null)) {

      assertThat(client.receive()).isEqualTo("{\"data\":\"héllo world\"}");
    }
  }

  @Test
  void receiveWhenServerPingsShouldAnswerWithAMaskedPongCarryingThePayload() throws Exception {
    var pong = new CompletableFuture<ClientFrame>();
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  ws.sendFrame(true, ServerWebSocket.PING, utf8("are you there"));
                  pong.complete(ws.readFrame());
                  ws.sendText("after the ping");
                  ws.awaitClientClose();
                });
        var client = connect(server, null)) {

      assertThat(client.receive()).isEqualTo("after the ping");
      var frame = pong.get(5, TimeUnit.SECONDS);
      assertThat(frame.opcode()).isEqualTo(ServerWebSocket.PONG);
      assertThat(frame.masked()).isTrue();
      assertThat(frame.text()).isEqualTo("are you there");
    }
  }

  @Test
  void receiveShouldReadPayloadsWith16BitAnd64BitLengths() throws Exception {
    String medium = "m".repeat(65_535);
    String large = "L".repeat(70_000);
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  ws.sendText(medium);
                  ws.sendText(large);
                  ws.awaitClientClose();
                });
        var client = connect(server, null)) {

      assertThat(client.receive()).isEqualTo(medium);
      assertThat(client.receive()).isEqualTo(large);
    }
  }

  @Test
  void closeShouldSendAMaskedNormalCloseAndWaitForTheServersAnswer() throws Exception {
    var close = new CompletableFuture<ClientFrame>();
    try (var server = FakeWebSocketServer.start(ws -> close.complete(ws.awaitClientClose()))) {
      connect(server, null).close();

      var frame = close.get(5, TimeUnit.SECONDS);
      assertThat(frame.masked()).isTrue();
      assertThat(frame.payload()).containsExactly(0x03, 0xE8);
    }
  }

  @Test
  void receiveWhenServerClosesShouldEchoTheCloseAndReportItsReason() throws Exception {
    var echo = new CompletableFuture<ClientFrame>();
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  ws.sendClose(1008, "too slow; resume from seq 7");
                  echo.complete(ws.readFrame());
                });
        var client = connect(server, null)) {

      assertThat(client.receive()).isNull();
      assertThat(client.closeReason()).isEqualTo("too slow; resume from seq 7");
      var frame = echo.get(5, TimeUnit.SECONDS);
      assertThat(frame.opcode()).isEqualTo(ServerWebSocket.CLOSE);
      assertThat(frame.masked()).isTrue();
      assertThat(frame.payload()).containsExactly(1008 >> 8, 1008 & 0xFF);
    }
  }

  @Test
  void receiveWhenConnectionDropsShouldReturnNull() throws Exception {
    try (var server = FakeWebSocketServer.start(ServerWebSocket::drop);
        var client = connect(server, null)) {

      assertThat(client.receive()).isNull();
    }
  }

  @Test
  void connectShouldSendTheHandshakeWithAuthorizationAndUserAgent() throws Exception {
    var handshake = new CompletableFuture<ServerWebSocket>();
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  handshake.complete(ws);
                  ws.awaitClientClose();
                });
        var client = connect(server, "Bearer s3cret")) {

      var ws = handshake.get(5, TimeUnit.SECONDS);
      assertThat(ws.requestLine()).isEqualTo("GET /sandboxes/demo/stream HTTP/1.1");
      assertThat(ws.header("authorization")).isEqualTo("Bearer s3cret");
      assertThat(ws.header("user-agent")).isEqualTo("sbx/test");
      assertThat(ws.header("host")).isEqualTo("127.0.0.1:" + server.port());
    }
  }

  @Test
  void connectWhenServerRefusesTheHandshakeShouldThrowTheProblem() throws Exception {
    try (var server = FakeWebSocketServer.start(ws -> {})) {
      server.reject(
          404,
          "{\"title\":\"Sandbox not found\",\"status\":404,\"detail\":\"sandbox sbx-demo does not"
              + " exist\"}");

      assertThatThrownBy(() -> connect(server, null))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
          .hasMessage("Sandbox not found: sandbox sbx-demo does not exist");
    }
  }

  @Test
  void nextShouldReturnBinaryMessagesAsTheirBytesAlsoInFragments() throws Exception {
    byte[] escape = {0x1b, '[', '2', 'J', (byte) 0xff, 0};
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  ws.sendBinary(escape);
                  ws.sendFrame(false, ServerWebSocket.BINARY, new byte[] {1, 2});
                  ws.sendFrame(true, ServerWebSocket.CONTINUATION, new byte[] {3});
                  ws.sendText("text");
                  ws.awaitClientClose();
                });
        var client = connect(server, null)) {

      var first = client.next();
      var second = client.next();
      var third = client.next();

      assertThat(first.binary()).isTrue();
      assertThat(first.payload()).isEqualTo(escape);
      assertThat(second.binary()).isTrue();
      assertThat(second.payload()).containsExactly(1, 2, 3);
      assertThat(third.binary()).isFalse();
      assertThat(third.text()).isEqualTo("text");
    }
  }

  @Test
  void sendBinaryAndSendTextShouldSendMaskedFramesOfTheirKind() throws Exception {
    var frames = new CompletableFuture<List<ClientFrame>>();
    byte[] keys = {3, 0x1b, '[', 'A', (byte) 0xc3};
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  frames.complete(List.of(ws.readFrame(), ws.readFrame(), ws.readFrame()));
                  ws.awaitClientClose();
                });
        var client = connect(server, null)) {
      client.sendBinary(keys);
      client.sendText("{\"type\":\"resize\",\"cols\":120,\"rows\":40}");
      client.sendBinary(new byte[70_000]);

      var sent = frames.get(5, TimeUnit.SECONDS);
      assertThat(sent).allMatch(ClientFrame::masked).allMatch(ClientFrame::fin);
      assertThat(sent.get(0).opcode()).isEqualTo(ServerWebSocket.BINARY);
      assertThat(sent.get(0).payload()).isEqualTo(keys);
      assertThat(sent.get(1).opcode()).isEqualTo(ServerWebSocket.TEXT);
      assertThat(sent.get(1).text()).isEqualTo("{\"type\":\"resize\",\"cols\":120,\"rows\":40}");
      assertThat(sent.get(2).payload()).hasSize(70_000);
    }
  }

  @Test
  void nextWhenAMessageNeverEndsShouldStopAtTheCapRatherThanBufferIt() throws Exception {
    byte[] mebibyte = new byte[1 << 20];
    try (var server =
            FakeWebSocketServer.start(
                ws -> {
                  try {
                    ws.sendFrame(false, ServerWebSocket.BINARY, mebibyte);
                    while (true) {
                      ws.sendFrame(false, ServerWebSocket.CONTINUATION, mebibyte);
                    }
                  } catch (IOException e) {
                    // the client hung up, as it should
                  }
                });
        var client = connect(server, null)) {

      assertThatThrownBy(client::next)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("WebSocket message over");
    }
  }
}
