package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * fabric8's mock server in CRUD mode, except that each pod exec is answered by a {@link PodSide}
 * the test scripts: the mock's own WebSocket expectations match a client's frames only by their
 * whole text, so they cannot check what a real kubelet would get on stdin (every byte of an upload,
 * a resize on channel 4) nor answer when it has. Frames are v4.channel.k8s.io: a channel byte (0
 * stdin, 1 stdout, 2 stderr, 3 error/Status, 4 resize), then the payload.
 */
final class ScriptedPodExecs implements AutoCloseable {

  final KubernetesMockServer server;
  final KubernetesClient client;
  final BlockingQueue<PodSide> opened = new LinkedBlockingQueue<>();
  private volatile Function<RecordedRequest, PodSide> script = request -> new PodSide(request);

  ScriptedPodExecs() {
    var responses = new HashMap<ServerRequest, Queue<ServerResponse>>();
    var crud = new KubernetesMixedDispatcher(responses);
    var dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (request.getPath().contains("/pods/" + Labels.POD_NAME + "/exec?")) {
              var side = script.apply(request);
              opened.add(side);
              return new MockResponse().withWebSocketUpgrade(side);
            }
            return crud.dispatch(request);
          }

          @Override
          public void shutdown() {
            crud.shutdown();
          }
        };
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    server.init();
    client = server.createClient();
  }

  /** Answers the next pod execs with the given pod side. */
  void script(Function<RecordedRequest, PodSide> script) {
    this.script = script;
  }

  @Override
  public void close() {
    client.close();
    MockCluster.destroy(server);
  }

  /** The pod's end of one exec: records what arrives per channel, and can answer. */
  static class PodSide extends WebSocketListener {
    final RecordedRequest request;
    final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    final BlockingQueue<String> resizes = new LinkedBlockingQueue<>();
    volatile WebSocket socket;

    PodSide(RecordedRequest request) {
      this.request = request;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      socket = webSocket;
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      onMessage(webSocket, bytes.toByteArray());
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] frame) {
      if (frame.length == 0) {
        return;
      }
      switch (frame[0]) {
        case 0 -> {
          synchronized (stdin) {
            stdin.write(frame, 1, frame.length - 1);
          }
          stdin(webSocket);
        }
        case 4 -> resizes.add(new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8));
        default -> {}
      }
    }

    /** Hears that stdin grew; a subclass answers when it has what it waits for. */
    void stdin(WebSocket webSocket) {}

    byte[] stdinBytes() {
      synchronized (stdin) {
        return stdin.toByteArray();
      }
    }

    /** Sends bytes on a channel, as the kubelet does. */
    void send(int channel, byte[] data) {
      var frame = new byte[data.length + 1];
      frame[0] = (byte) channel;
      System.arraycopy(data, 0, frame, 1, data.length);
      socket.send(frame);
    }

    /** Ends the exec as the API server does: a Status on channel 3, then a close. */
    void exit(int code) {
      var status =
          code == 0
              ? "{\"metadata\":{},\"status\":\"Success\"}"
              : "{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                  + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                  + code
                  + "\"}]}}";
      send(3, status.getBytes(StandardCharsets.UTF_8));
      socket.close(1000, "");
    }
  }
}
