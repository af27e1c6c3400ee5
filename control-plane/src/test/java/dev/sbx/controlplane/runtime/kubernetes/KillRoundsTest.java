package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.SandboxInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A terminate returns only when the exec's processes are gone: a KILL round that does not reach the
 * pod is no answer, so it is tried again, and an exec whose end was never confirmed is reported
 * lost rather than quietly taken for dead.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class KillRoundsTest {

  // fabric8's extension injects these static fields into each test class itself, and each class
  // opens its runtime with settings of its own: these lines stand again in the other mock-server
  // tests (the duplicates tool reports the pairs).
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
  void aKillRoundThatFailsShouldBeTriedAgainUntilThePodAnswers() throws Exception {
    var recording = running("sbx-retry", "k1");
    var kill = ExecScripts.kill("k1", "KILL");
    // A round that ends without its count (the script was cut short): no answer, not "0 left".
    cluster.expectScript("sbx-retry", kill, new StatusStreamMessage(1));
    cluster.expectScript(
        "sbx-retry", kill, new OutputStreamMessage("0\n"), new StatusStreamMessage(0));
    killsAsked("sbx-retry");
    runtime.terminate("sbx-retry", "k1", Duration.ZERO);
    assertThat(killsAsked("sbx-retry")).isEqualTo(2);
    assertThat(recording.outcome).isNotDone();
  }

  @Test
  void anExecWhoseKillNeverReachedThePodShouldBeReportedLost() throws Exception {
    var recording = running("sbx-unreached", "k2");
    // No kill script is served: every round fails as an unreachable pod's would.
    runtime.terminate("sbx-unreached", "k2", Duration.ZERO);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecOutcome.lost(ExecOutcome.KILL_UNCONFIRMED));
  }

  /** A ready sandbox with one exec that has started and not ended. */
  private KubernetesRuntimeTest.Recording running(String id, String execId) {
    runtime.create(Templates.spec(id));
    cluster.markReady(id);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.find(id).map(SandboxInfo::ready).orElse(false));
    var spec = new ExecSpec(execId, List.of("sleep", "600"), Map.of(), "/workspace", null);
    // Started, and never ending by itself: the mock keeps a socket open while it still expects a
    // message from the client, which never comes.
    server
        .expect()
        .get()
        .withPath(MockCluster.execPath(id, spec))
        .andUpgradeToWebSocket()
        .open(new ErrorStreamMessage(ExecScripts.STARTED + "\n"))
        .expect("never sent")
        .andEmit(new StatusStreamMessage(0))
        .always()
        .done()
        .once();
    var recording = new KubernetesRuntimeTest.Recording();
    runtime.exec(id, spec, recording);
    return recording;
  }

  /** How many KILL rounds reached the API server since the last look. */
  private static int killsAsked(String id) throws InterruptedException {
    int kills = 0;
    for (var request = server.takeRequest(100, TimeUnit.MILLISECONDS);
        request != null;
        request = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      if (request.getPath().startsWith("/api/v1/namespaces/" + id + "/pods/sandbox/exec")
          && request.getPath().contains("sbx-kill")
          && request.getPath().contains("command=KILL")) {
        kills++;
      }
    }
    return kills;
  }
}
