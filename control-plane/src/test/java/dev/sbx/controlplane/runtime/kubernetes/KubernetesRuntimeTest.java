package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxNotReadyException;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.testing.MutableClock;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kubernetes runtime against fabric8's mock API server (CRUD mode plus exec frames). */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class KubernetesRuntimeTest {

  // fabric8's extension injects these static fields into each test class itself, and each class
  // opens its runtime with settings of its own: these lines stand again in the other mock-server
  // tests (the duplicates tool reports the pairs).
  static KubernetesMockServer server;
  static KubernetesClient client;

  private KubernetesRuntime runtime;
  private MockCluster cluster;

  @BeforeEach
  void open() {
    runtime = runtime("SANDBOX_EXEC_READY_TIMEOUT", "2s");
    cluster = new MockCluster(server, client);
  }

  @AfterEach
  void close() {
    for (var sandbox : runtime.list()) {
      runtime.delete(sandbox.id());
    }
    // Each runtime elects and watches until closed; the mock server goes with this class.
    opened.forEach(KubernetesRuntime::close);
    opened.clear();
  }

  @Test
  void createShouldMakeTheNamespaceAndPodWithOurLabelsAndReturnAtOnce() {
    var info = runtime.create(Templates.spec("sbx-one"));
    assertThat(info.id()).isEqualTo("sbx-one");
    assertThat(info.runtime()).isEqualTo("kubernetes");
    assertThat(info.phase()).isEqualTo("Pending");
    assertThat(info.ready()).isFalse();
    var namespace = client.namespaces().withName("sbx-one").get();
    assertThat(namespace.getMetadata().getLabels())
        .containsAllEntriesOf(Labels.of("sbx-one", "cold"));
    var pod = client.pods().inNamespace("sbx-one").withName("sandbox").get();
    assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("ubuntu:22.04");
  }

  @Test
  void createWithAPvcWorkspaceShouldMakeTheClaim() {
    runtime.create(
        Templates.spec("sbx-pvc", new SandboxSpec.Storage("pvc", null, null, null, null)));
    var claim = client.persistentVolumeClaims().inNamespace("sbx-pvc").withName("workspace").get();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
  }

  @Test
  void createTwiceShouldBeAConflict() {
    runtime.create(Templates.spec("sbx-twice"));
    assertThatThrownBy(() -> runtime.create(Templates.spec("sbx-twice")))
        .isInstanceOf(SandboxExistsException.class);
  }

  @Test
  void getAndListShouldShowTheSandboxAndItsReadiness() {
    runtime.create(Templates.spec("sbx-seen"));
    assertThat(runtime.find("sbx-seen")).isPresent();
    cluster.markReady("sbx-seen");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.list().stream().anyMatch(s -> s.id().equals("sbx-seen") && s.ready()));
    assertThat(runtime.find("sbx-seen").map(SandboxInfo::phase)).contains("Running");
  }

  @Test
  void listAndFindShouldIgnoreNamespacesThatAreNotOurs() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("sbx-foreign").endMetadata().build())
        .create();
    runtime.create(Templates.spec("sbx-ours"));
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.list().size() == 1);
    assertThat(runtime.list()).extracting(SandboxInfo::id).containsExactly("sbx-ours");
    assertThat(runtime.find("sbx-foreign")).isEmpty();
    assertThat(runtime.delete("sbx-foreign")).isFalse();
    assertThat(client.namespaces().withName("sbx-foreign").get()).isNotNull();
  }

  @Test
  void deleteShouldRemoveTheNamespaceAndASecondDeleteFindNothing() {
    runtime.create(Templates.spec("sbx-gone"));
    assertThat(runtime.delete("sbx-gone")).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.find("sbx-gone").isEmpty());
    assertThat(runtime.delete("sbx-gone")).isFalse();
  }

  @Test
  void aRestartedControlPlaneShouldFindEverySandboxAgain() {
    runtime.create(Templates.spec("sbx-kept"));
    cluster.markReady("sbx-kept");
    var restarted = runtime("SANDBOX_EXEC_READY_TIMEOUT", "2s");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> restarted.list().stream().anyMatch(s -> s.id().equals("sbx-kept") && s.ready()));
  }

  @Test
  void execOnASandboxThatDoesNotBecomeReadyShouldBe409WithThePodsReason() {
    var quick = runtime("SANDBOX_EXEC_READY_TIMEOUT", "300ms");
    quick.create(Templates.spec("sbx-stuck"));
    cluster.markWaiting("sbx-stuck", "ErrImagePull");
    assertThatThrownBy(() -> quick.exec("sbx-stuck", spec("e1", "true"), new Recording()))
        .isInstanceOfSatisfying(
            SandboxNotReadyException.class,
            e -> {
              assertThat(e.getBody().getProperties()).containsEntry("reason", "ErrImagePull");
              assertThat(e.getStatusCode().value()).isEqualTo(409);
            });
  }

  @Test
  void execShouldWaitForTheSandboxToBecomeReady() throws Exception {
    runtime.create(Templates.spec("sbx-late"));
    var spec = spec("e2", "echo", "hi");
    cluster.expectExec(
        "sbx-late",
        spec,
        new ErrorStreamMessage("sbx:started\n"),
        new OutputStreamMessage("hi\n"),
        new StatusStreamMessage(0));
    var recording = new Recording();
    var exec = CompletableFuture.runAsync(() -> runtime.exec("sbx-late", spec, recording));
    cluster.markReady("sbx-late");
    exec.get(10, TimeUnit.SECONDS);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(0));
    assertThat(recording.stdout()).isEqualTo("hi\n");
  }

  @Test
  void execShouldKeepStdoutAndStderrApartAndReportTheRealExitCode() throws Exception {
    ready("sbx-exec");
    var spec = spec("e3", "bash", "-c", "echo out; echo err >&2; exit 3");
    cluster.expectExec(
        "sbx-exec",
        spec,
        new ErrorStreamMessage("sbx:started\n"),
        new OutputStreamMessage("out\n"),
        new ErrorStreamMessage("err\n"),
        new StatusStreamMessage(3));
    var recording = new Recording();
    runtime.exec("sbx-exec", spec, recording);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(3));
    assertThat(recording.stdout()).isEqualTo("out\n");
    assertThat(recording.stderr()).isEqualTo("err\n");
  }

  @Test
  void theCreateToReadyTimerShouldLeaveOutCreatesThatTookLongerThanTheBound() {
    var clock = new MutableClock(Instant.now());
    var timed = TestRuntimes.open(Templates.config(), client, clock);
    opened.add(timed);
    var samples = new ConcurrentHashMap<String, Duration>();
    timed.onReady(samples::put);
    timed.create(Templates.spec("sbx-quick"));
    timed.create(Templates.spec("sbx-slow"));

    clock.set(clock.instant().plusSeconds(30));
    cluster.markReady("sbx-quick");
    await().atMost(Duration.ofSeconds(5)).until(() -> samples.containsKey("sbx-quick"));
    assertThat(samples.get("sbx-quick")).isEqualTo(Duration.ofSeconds(30));

    // Past SANDBOX_CREATE_READY_TIMEOUT (60 s): that create failed, whenever it ends.
    clock.set(clock.instant().plusSeconds(31));
    cluster.markReady("sbx-slow");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> timed.find("sbx-slow").map(SandboxInfo::ready).orElse(false));
    assertThat(samples).containsOnlyKeys("sbx-quick");
  }

  @Test
  void anExecRunningWhenItsContainerIsOomKilledShouldEndOomKilled() throws Exception {
    ready("sbx-oom");
    var spec = spec("e7", "python3", "-c", "b = bytearray(1 << 34)");
    // The container dies under the exec: its connection breaks off without a status, and the
    // kubelet reports OOMKilled on the container a moment later.
    cluster.expectExec(
        "sbx-oom", spec, new ErrorStreamMessage("sbx:started\n"), new OutputStreamMessage("a\n"));
    var recording = new Recording();
    runtime.exec("sbx-oom", spec, recording);
    cluster.markTerminated("sbx-oom", "OOMKilled", 137);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.oomKilled());
    assertThat(recording.stdout()).isEqualTo("a\n");
  }

  @Test
  void anExecWhoseConnectionBreaksOffWhileItsContainerRunsShouldEndLost() throws Exception {
    ready("sbx-broken");
    var spec = spec("e8", "sleep", "600");
    cluster.expectExec("sbx-broken", spec, new ErrorStreamMessage("sbx:started\n"));
    var recording = new Recording();
    runtime.exec("sbx-broken", spec, recording);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecOutcome.lost(ExecOutcome.SANDBOX_STOPPED));
  }

  @Test
  void anExecOnAReadySandboxShouldReadNothingFromTheApiServer() throws Exception {
    ready("sbx-quiet");
    var spec = spec("e7", "true");
    cluster.expectExec(
        "sbx-quiet", spec, new ErrorStreamMessage("sbx:started\n"), new StatusStreamMessage(0));
    while (server.takeRequest(200, TimeUnit.MILLISECONDS) != null) {
      // what came before the exec
    }
    var recording = new Recording();
    runtime.exec("sbx-quiet", spec, recording);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(0));
    var reads = new ArrayList<String>();
    for (var request = server.takeRequest(200, TimeUnit.MILLISECONDS);
        request != null;
        request = server.takeRequest(200, TimeUnit.MILLISECONDS)) {
      if (request.getMethod().equals("GET") && request.getPath().contains("/sbx-quiet/")) {
        reads.add(request.getPath().replaceAll("\\?.*", ""));
      }
    }
    // The informers know the pod is Ready: no LIST, WATCH or GET of it, only the exec itself.
    assertThat(reads).containsExactly("/api/v1/namespaces/sbx-quiet/pods/sandbox/exec");
  }

  @Test
  void execWithAMissingWorkingDirectoryShouldBe400AndReportNothing() {
    ready("sbx-cwd");
    var spec = new ExecSpec("e4", List.of("true"), Map.of(), "/nope", null);
    cluster.expectExec(
        "sbx-cwd", spec, new ErrorStreamMessage("sbx:cwd\n"), new StatusStreamMessage(126));
    var recording = new Recording();
    assertThatThrownBy(() -> runtime.exec("sbx-cwd", spec, recording))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getBody().getProperties()).containsEntry("field", "cwd"));
    assertThat(recording.outcome).isNotDone();
  }

  @Test
  void execThatCannotStartShouldBe503() {
    ready("sbx-nosh");
    var spec = spec("e5", "true");
    cluster.expectExec(
        "sbx-nosh",
        spec,
        new ErrorStreamMessage("exec: /bin/sh: not found\n"),
        new StatusStreamMessage(127));
    assertThatThrownBy(() -> runtime.exec("sbx-nosh", spec, new Recording()))
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("/bin/sh: not found");
  }

  @Test
  void anImageWhoseShFloodsStderrBeforeTheStartReportShouldGetABoundedEscaped503() {
    ready("sbx-flood");
    var spec = spec("e6", "true");
    // Its sh is the image's: before the wrapper's report, 4 MiB of escape codes and no newline.
    var flood = "\u001b[2J".repeat(1 << 20);
    cluster.expectExec(
        "sbx-flood", spec, new ErrorStreamMessage(flood), new StatusStreamMessage(0));
    assertThatThrownBy(() -> runtime.exec("sbx-flood", spec, new Recording()))
        .isInstanceOf(RuntimeUnavailableException.class)
        .satisfies(
            e ->
                assertThat(((RuntimeUnavailableException) e).getBody().getDetail())
                    .hasSizeLessThan(512)
                    .doesNotContain("\u001b"))
        .hasMessageContaining("\\x1b[2J");
  }

  @Test
  void aRestartedControlPlaneShouldLearnWhichExecsRanUnwatched() {
    ready("sbx-lost");
    cluster.expectScript(
        "sbx-lost",
        ExecScripts.interrupted(),
        new OutputStreamMessage("00000000000000aa\t1764199999\tsleep\u001f1000\u001f\n"),
        new StatusStreamMessage(0));
    var lost = runtime.interruptedExecs();
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0).sandboxId()).isEqualTo("sbx-lost");
    assertThat(lost.get(0).execId()).isEqualTo("00000000000000aa");
    assertThat(lost.get(0).command()).containsExactly("sleep", "1000");
  }

  @Test
  void execInAnUnknownSandboxShouldBe404() {
    assertThatThrownBy(() -> runtime.exec("sbx-nope", spec("e6", "true"), new Recording()))
        .isInstanceOf(SandboxNotFoundException.class);
  }

  private void ready(String id) {
    runtime.create(Templates.spec(id));
    cluster.markReady(id);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.find(id).map(SandboxInfo::ready).orElse(false));
  }

  private final List<KubernetesRuntime> opened = new ArrayList<>();

  private KubernetesRuntime runtime(String... settings) {
    var runtime = TestRuntimes.open(Templates.config(settings), client);
    opened.add(runtime);
    return runtime;
  }

  private static ExecSpec spec(String execId, String... command) {
    return new ExecSpec(execId, List.of(command), Map.of(), "/workspace", null);
  }

  /** Collects what a runtime reports for one exec. */
  static final class Recording implements ExecListener {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CompletableFuture<ExecOutcome> outcome = new CompletableFuture<>();

    @Override
    public synchronized void output(OutputStreamKind stream, byte[] data, int length) {
      (stream == OutputStreamKind.STDOUT ? out : err).write(data, 0, length);
    }

    @Override
    public void finished(ExecOutcome result) {
      outcome.complete(result);
    }

    synchronized String stdout() {
      return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }
}
