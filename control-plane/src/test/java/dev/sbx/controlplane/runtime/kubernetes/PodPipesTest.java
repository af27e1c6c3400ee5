package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * File helpers in a pod: stdout streams to the caller, and the end is the API server's Status on
 * the error channel, with stderr beside it, so a transfer is never taken for whole on its bytes
 * alone.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class PodPipesTest {

  // fabric8's extension injects these static fields into each test class itself (see
  // KillRoundsTest).
  static KubernetesMockServer server;
  static KubernetesClient client;

  private KubernetesRuntime runtime;
  private MockCluster cluster;

  @BeforeEach
  void open() {
    runtime = TestRuntimes.open(Templates.config("SANDBOX_IDLE_TTL", "0"), client);
    cluster = new MockCluster(server, client);
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void aHelpersOutputAndStatusShouldComeBackAsThePodSentThem() throws Exception {
    ready("sbx-files");
    var argv = List.of("/bin/sh", "-c", "cat -- \"$1\"", "sbx-read", "/workspace/a");
    cluster.expectHelper(
        "sbx-files",
        argv,
        false,
        new OutputStreamMessage("first part "),
        new OutputStreamMessage("second part"),
        new StatusStreamMessage(0));
    var out = new ByteArrayOutputStream();
    var outcome = runtime.pipe("sbx-files", argv, null, out);
    assertThat(outcome.outcome()).isEqualTo(ExecOutcome.exited(0));
    assertThat(outcome.succeeded()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first part second part");
  }

  @Test
  void aHelperThatFailsShouldSayWhyWhateverItWroteBefore() throws Exception {
    ready("sbx-fail");
    var argv = List.of("/bin/sh", "-c", "cat -- \"$1\"", "sbx-read", "/workspace/gone");
    cluster.expectHelper(
        "sbx-fail",
        argv,
        false,
        new OutputStreamMessage("par"),
        new ErrorStreamMessage("cat: /workspace/gone: No such file or directory\n"),
        new StatusStreamMessage(1));
    var outcome = runtime.pipe("sbx-fail", argv, null, new ByteArrayOutputStream());
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.outcome().exitCode()).isEqualTo(1);
    assertThat(outcome.stderr()).contains("No such file or directory");
  }

  @Test
  void megabytesInManyFramesShouldArriveByteExact() throws Exception {
    ready("sbx-big");
    var argv = List.of("/bin/sh", "-c", "cat -- \"$1\"", "sbx-read", "/workspace/big");
    var random = new java.util.Random(7);
    var expected = new StringBuilder();
    var frames = new java.util.ArrayList<io.fabric8.mockwebserver.internal.WebSocketMessage>();
    for (int i = 0; i < 48; i++) {
      var chunk = new byte[48 * 1024];
      random.nextBytes(chunk);
      var text = java.util.Base64.getEncoder().encodeToString(chunk);
      expected.append(text);
      frames.add(new OutputStreamMessage(text));
    }
    frames.add(new StatusStreamMessage(0));
    cluster.expectHelper(
        "sbx-big",
        argv,
        false,
        frames.toArray(io.fabric8.mockwebserver.internal.WebSocketMessage[]::new));
    var out = new ByteArrayOutputStream();
    var outcome = runtime.pipe("sbx-big", argv, null, out);
    assertThat(outcome.succeeded()).isTrue();
    assertThat(out.size()).isEqualTo(expected.length()).isGreaterThanOrEqualTo(3 << 20);
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
  }

  @Test
  void aStreamThatEndsWithoutItsStatusShouldNotPassForDone() throws Exception {
    ready("sbx-cut");
    var argv = List.of("/bin/sh", "-c", "cat -- \"$1\"", "sbx-read", "/workspace/cut");
    // The connection closes after some output and before the Status: a kubelet or API server that
    // went away mid-transfer, which kubectl cp has taken for the end of the file.
    cluster.expectHelper("sbx-cut", argv, false, new OutputStreamMessage("part of it"));
    var out = new ByteArrayOutputStream();
    boolean failed;
    try {
      failed = !runtime.pipe("sbx-cut", argv, null, out).succeeded();
    } catch (java.io.IOException e) {
      failed = true;
    }
    assertThat(failed).as("a transfer with no exit status counted as done").isTrue();
  }

  @Test
  void anUnknownSandboxShouldBeNotFound() {
    assertThatThrownBy(
            () -> runtime.pipe("sbx-nope", List.of("true"), null, new ByteArrayOutputStream()))
        .isInstanceOf(SandboxNotFoundException.class);
  }

  private void ready(String id) {
    runtime.create(Templates.spec(id));
    cluster.markReady(id);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.find(id).map(SandboxInfo::ready).orElse(false));
  }
}
