package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.WebSocket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a file upload puts on a pod exec's stdin, as the kubelet receives it: every byte, in order,
 * in whatever frames the client cut it into. {@code kubectl cp} has shipped silent truncations; a
 * pod that sees part of the body must never make the upload pass for done.
 */
class PodPipesUploadTest {

  private static final List<String> ARGV =
      List.of("/bin/sh", "-c", "cat > \"$1\"", "sbx-write", "/workspace/up");

  private ScriptedPodExecs pods;
  private KubernetesRuntime runtime;
  private MockCluster cluster;

  @BeforeEach
  void open() {
    pods = new ScriptedPodExecs();
    runtime = TestRuntimes.open(Templates.config("SANDBOX_IDLE_TTL", "0"), pods.client);
    cluster = new MockCluster(pods.server, pods.client);
  }

  @AfterEach
  void close() {
    runtime.close();
    pods.close();
  }

  @Test
  void megabytesOfRandomBytesShouldReachThePodsStdinByteExact() throws Exception {
    ready("sbx-up");
    var body = new byte[12 << 20];
    new Random(11).nextBytes(body);
    // The pod ends the exec once it has the whole body, as the upload helper does after its 0
    // frame.
    pods.script(
        request ->
            new ScriptedPodExecs.PodSide(request) {
              @Override
              void stdin(WebSocket webSocket) {
                if (stdinBytes().length == body.length) {
                  exit(0);
                }
              }
            });
    var outcome =
        runtime.pipe("sbx-up", ARGV, new ByteArrayInputStream(body), new ByteArrayOutputStream());
    var pod = pods.opened.take();
    assertThat(outcome.succeeded()).as(outcome + " with " + pod.stdinBytes().length).isTrue();
    assertThat(pod.request.getPath()).contains("stdin=true");
    var received = pod.stdinBytes();
    assertThat(received.length).isEqualTo(body.length);
    assertThat(sha256(received)).isEqualTo(sha256(body));
  }

  @Test
  void aPodThatGoesAwayHalfwayShouldFailTheUpload() throws Exception {
    ready("sbx-half");
    var body = new byte[4 << 20];
    new Random(12).nextBytes(body);
    // The connection drops with half the body and no Status: a kubelet or API server restarting.
    pods.script(
        request ->
            new ScriptedPodExecs.PodSide(request) {
              @Override
              void stdin(WebSocket webSocket) {
                if (stdinBytes().length >= body.length / 2) {
                  webSocket.close(1001, "going away");
                }
              }
            });
    boolean failed;
    try {
      failed =
          !runtime
              .pipe("sbx-half", ARGV, new ByteArrayInputStream(body), new ByteArrayOutputStream())
              .succeeded();
    } catch (IOException e) {
      failed = true;
    }
    assertThat(failed).as("an upload the pod saw half of counted as done").isTrue();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private void ready(String id) {
    cluster.createReady(runtime, id);
  }
}
