package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.testing.MutableClock;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Idle reaping against fabric8's mock API server, on a clock the test moves. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class IdleReaperTest {

  private static final Duration TTL = Duration.ofMinutes(10);

  // fabric8's extension injects these static fields into each test class itself, and each class
  // opens its runtime with settings of its own: these lines stand again in the other mock-server
  // tests (the duplicates tool reports the pairs).
  static KubernetesMockServer server;
  static KubernetesClient client;

  private final MutableClock clock = new MutableClock(Instant.now());
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private KubernetesRuntime runtime;
  private MockCluster cluster;

  @BeforeEach
  void open() {
    runtime =
        TestRuntimes.open(
            Templates.config("SANDBOX_IDLE_TTL", TTL.toMinutes() + "m"), client, clock);
    runtime.onReaped(heard::add);
    cluster = new MockCluster(server, client);
  }

  @AfterEach
  void close() {
    runtime.list().forEach(sandbox -> runtime.delete(sandbox.id()));
    runtime.close();
    client.namespaces().withName("sbx-foreign").delete();
  }

  @Test
  void aSandboxShouldBeReapedOnlyOnceItWasIdleForLongerThanTheTtl() {
    var created = runtime.create(Templates.spec("sbx-idle"));
    awaitCached("sbx-idle");
    clock.set(created.createdAt().plus(TTL));

    assertThat(runtime.reapIdle()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(runtime.reapIdle()).containsExactly("sbx-idle");
    assertThat(client.namespaces().withName("sbx-idle").get()).isNull();
    assertThat(heard).containsExactly("sbx-idle");
  }

  @Test
  void theReaperShouldSkipASandboxWithARunningExecAndNamespacesThatAreNotOurs() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("sbx-foreign").endMetadata().build())
        .create();
    runtime.create(Templates.spec("sbx-busy"));
    cluster.markReady("sbx-busy");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.find("sbx-busy").map(SandboxInfo::ready).orElse(false));
    var spec = new ExecSpec("long", List.of("sleep", "3600"), Map.of(), "/workspace", null);
    // Started, and never ends while the test runs.
    server
        .expect()
        .get()
        .withPath(MockCluster.execPath("sbx-busy", spec))
        .andUpgradeToWebSocket()
        .open(new ErrorStreamMessage(ExecScripts.STARTED + "\n"))
        // The exit status waits for a message nobody sends, so the socket stays open.
        .expect("never sent")
        .andEmit(new StatusStreamMessage(0))
        .once()
        .done()
        .once();
    var listener = new Ignoring();
    runtime.exec("sbx-busy", spec, listener);
    runtime.create(Templates.spec("sbx-idle-2"));
    awaitCached("sbx-idle-2");
    clock.advance(Duration.ofHours(2));

    assertThat(runtime.reapIdle()).containsExactly("sbx-idle-2");
    assertThat(listener.outcome).as("the exec still runs").isNull();
    assertThat(client.namespaces().withName("sbx-busy").get()).isNotNull();
    assertThat(client.namespaces().withName("sbx-foreign").get()).isNotNull();
  }

  @Test
  void theLastExecShouldRestartTheIdleTime() {
    var created = runtime.create(Templates.spec("sbx-used"));
    awaitCached("sbx-used");
    clock.set(created.createdAt().plus(TTL).plusSeconds(1));
    client
        .namespaces()
        .withName("sbx-used")
        .edit(
            ns ->
                new NamespaceBuilder(ns)
                    .editMetadata()
                    .addToAnnotations(
                        Labels.LAST_EXEC_AT,
                        String.valueOf(
                            created.createdAt().plus(Duration.ofMinutes(5)).getEpochSecond()))
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.find("sbx-used").map(SandboxInfo::lastExecAt).isPresent());

    assertThat(runtime.reapIdle()).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(runtime.reapIdle()).containsExactly("sbx-used");
  }

  @Test
  void theReaperShouldLookOftenEnoughForItsTtl() {
    assertThat(reaper(Duration.ofMinutes(15)).period()).isEqualTo(Duration.ofSeconds(30));
    assertThat(reaper(Duration.ofMinutes(1)).period()).isEqualTo(Duration.ofSeconds(15));
    assertThat(reaper(Duration.ofMillis(500)).period()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aTtlOfZeroShouldReapNothing() {
    var off = TestRuntimes.open(Templates.config("SANDBOX_IDLE_TTL", "0"), client, clock);
    try {
      runtime.create(Templates.spec("sbx-kept"));
      awaitCached("sbx-kept");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> off.list().stream().anyMatch(s -> s.id().equals("sbx-kept")));
      clock.advance(Duration.ofDays(30));
      assertThat(off.reapIdle()).isEmpty();
      assertThat(runtime.reapIdle()).containsExactly("sbx-kept"); // it was idle indeed
    } finally {
      off.close();
    }
  }

  private static IdleReaper reaper(Duration ttl) {
    return new IdleReaper(null, null, null, ttl, Clock.systemUTC(), id -> false);
  }

  private void awaitCached(String id) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.list().stream().anyMatch(s -> s.id().equals(id)));
  }

  private static final class Ignoring implements ExecListener {
    @Override
    public void output(OutputStreamKind stream, byte[] data, int length) {}

    @Override
    public void finished(ExecOutcome outcome) {
      this.outcome = outcome;
    }

    volatile ExecOutcome outcome;
  }
}
