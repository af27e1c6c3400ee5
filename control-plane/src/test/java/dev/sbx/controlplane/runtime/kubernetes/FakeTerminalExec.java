package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One pod exec on a terminal as a real API server serves it (v4.channel.k8s.io, tty=true): it keeps
 * every frame the client sends, as sent, and sends what the test scripts. fabric8's mock
 * expectations match client frames by their text and close the socket once none is left to match; a
 * real API server reads stdin and resizes for as long as the command runs, and ends with a Status
 * on channel 3 before it closes.
 */
final class FakeTerminalExec extends WebSocketListener {

  /**
   * The wrapper's start report as the pod's terminal prints it: stderr is the terminal, whose
   * output processing turns LF into CR LF.
   */
  static final String STARTED = ExecScripts.STARTED + "\r\n";

  final RecordedRequest request;
  private final String firstOutput;
  private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
  private final CompletableFuture<Integer> closedByClient = new CompletableFuture<>();

  /**
   * @param firstOutput what the terminal prints first, before anything is typed
   */
  FakeTerminalExec(RecordedRequest request, String firstOutput) {
    this.request = request;
    this.firstOutput = firstOutput;
  }

  /** The upgrade to this exec, with the subprotocol the client asked for, as the API server. */
  MockResponse upgrade() {
    var response = new MockResponse().setResponseCode(101).withWebSocketUpgrade(this);
    var protocol = request.getHeader("sec-websocket-protocol");
    if (protocol != null) {
      response.addHeader("sec-websocket-protocol", protocol);
    }
    return response;
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    socket.complete(webSocket);
    if (!firstOutput.isEmpty()) {
      send(1, firstOutput);
    }
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    received.add(bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    // v4.channel.k8s.io has binary frames only: keep it, so the test sees what it was.
    received.add(("text frame: " + text).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    closedByClient.complete(code);
    webSocket.close(code, reason);
  }

  /** The next frame the client sent, channel byte first; fails after 10 s without one. */
  byte[] nextFrame() throws InterruptedException {
    var frame = received.poll(10, TimeUnit.SECONDS);
    assertThat(frame).as("a frame from the client within 10 s").isNotNull();
    return frame;
  }

  /** A frame the client sent within this long, or null. */
  byte[] frameWithin(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Sends text on a channel, as the API server frames what the kubelet relays. */
  void send(int channel, String text) {
    var payload = text.getBytes(StandardCharsets.UTF_8);
    var frame = new byte[payload.length + 1];
    frame[0] = (byte) channel;
    System.arraycopy(payload, 0, frame, 1, payload.length);
    socket.join().send(frame);
  }

  /**
   * The command exited: the Status the API server sends for it (the kubelet's NonZeroExitCode with
   * an ExitCode cause, or Success), then the close.
   */
  void exit(int code) {
    send(3, status(code));
    socket.join().close(1000, "");
  }

  /** The connection ends with no Status: the API server or the kubelet went away. */
  void drop() {
    socket.join().close(1011, "gone");
  }

  /** Completes with the close code once the client closed the socket. */
  CompletableFuture<Integer> closedByClient() {
    return closedByClient;
  }

  static String status(int code) {
    if (code == 0) {
      return "{\"metadata\":{},\"status\":\"Success\"}";
    }
    return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero"
        + " exit code: error executing command [/bin/sh -c ...], exit code "
        + code
        + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\","
        + "\"message\":\""
        + code
        + "\"}]}}";
  }
}
