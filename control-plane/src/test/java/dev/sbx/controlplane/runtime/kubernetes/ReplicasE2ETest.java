package dev.sbx.controlplane.runtime.kubernetes;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.peers.Ownership;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two real control planes, A and B, on two ports, sharing fabric8's mock API server, with the
 * EndpointSlices of their headless Service written by the test as the endpoints controller would.
 * Every request for a sandbox reaches its owner, wherever it lands; when a replica goes, the other
 * takes its sandboxes over and says what became of its execs.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class ReplicasE2ETest {

  private static final String SECRET = ReplicaPair.SECRET;
  private static final int LINES = 40;
  private static final AtomicInteger EXEC_IDS = new AtomicInteger(0x700);

  static KubernetesMockServer server;
  static KubernetesClient client;

  private ReplicaPair pair;
  private int portA;
  private int portB;
  private ConfigurableApplicationContext a;
  private ConfigurableApplicationContext b;

  @TempDir Path events;
  @TempDir Path logs;
  private Process sidecar;
  private Process program;

  @BeforeEach
  void listTwoReplicas() throws IOException {
    pair = new ReplicaPair(server, client, () -> String.format("%016x", EXEC_IDS.get()));
    portA = pair.portA;
    portB = pair.portB;
  }

  private void startBoth(String... settings) {
    a = pair.start(portA, settings);
    b = pair.start(portB, settings);
  }

  @Test
  void inSidecarModeAnExecShouldGoOnWhenItsOwnerGoesAndASubscriberGetTheRest() throws Exception {
    var exec = sidecarExec("survivor", "0.1");
    var id = exec.id();
    var execId = exec.execId();
    var viaB = new Api(portB);
    program = new ProcessBuilder(ExecScripts.detached(exec.spec(), events.toString())).start();
    var before = EventStream.open(viaB, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    await().atMost(Duration.ofSeconds(15)).until(() -> outputs(before) >= 5);

    // The owner goes mid-exec; B owns the sandbox once A's endpoint is not ready.
    a.close();
    pair.list("a", portA, false);
    var ownership = b.getBean(Ownership.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> ownership.ownsLocally(id));
    await().atMost(Duration.ofSeconds(10)).until(before::isClosed);
    assertThat(outputs(before)).as("the exec was cut mid-way").isLessThan(LINES);
    long lastSeen =
        before.events().stream().mapToLong(r -> r.event().get("seq").asLong()).max().orElse(0);

    // The sidecar reconnects through the "Service" (B) and the exec goes on; a subscriber that
    // comes back gets the rest, from where it left.
    var after =
        EventStream.open(
            viaB, "/sandboxes/" + id + "/stream?exec_id=" + execId + "&from_seq=" + (lastSeen + 1));
    assertThat(after.awaitClose(Duration.ofSeconds(30))).as(sidecarLog()).isEqualTo(1000);
    var output = new java.io.ByteArrayOutputStream();
    output.write(before.output(execId, "stdout"));
    output.write(after.output(execId, "stdout"));
    assertThat(output.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i + "\n").collect(joining()));
    var ended = viaB.get("/sandboxes/" + id + "/execs/" + execId);
    assertThat(ended.text("status")).isEqualTo("completed");
    assertThat(ended.text("exit_code")).isEqualTo("0");
  }

  private static long outputs(EventStream stream) {
    return stream.events().stream().filter(r -> r.type().equals("output")).count();
  }

  /** A sidecar-mode exec, started through B in a sandbox A owns; its program not yet. */
  private record SidecarExec(String id, String execId, ExecSpec spec) {}

  /**
   * Starts both replicas in sidecar mode, with the sandbox's sidecar sending to B (the "Service"
   * here, and not the owner), and through B an exec that prints {@link #LINES} lines, one every
   * {@code pause} seconds.
   */
  private SidecarExec sidecarExec(String prefix, String pause) throws Exception {
    startBoth(
        "--SANDBOX_STREAM_MODE=sidecar",
        "--SANDBOX_STREAM_SIDECAR_IMAGE=sbx-stream-sidecar:dev",
        "--SANDBOX_STREAM_ENDPOINT=http://127.0.0.1:" + portB,
        "--SANDBOX_STREAM_EVENTS_DIR=" + events);
    var id = ownedBy(portA, prefix);
    var viaB = new Api(portB);
    var cluster = new MockCluster(server, client);
    viaB.post("/sandboxes", "{\"id\":\"" + id.substring(4) + "\"}");
    cluster.markReady(id);
    await().atMost(Duration.ofSeconds(5)).until(() -> viaB.get("/sandboxes/" + id).status() == 200);
    sidecar =
        SidecarProcess.start(
            "http://127.0.0.1:" + portB,
            id,
            MockCluster.ingestToken(client, id),
            events,
            logs.resolve("sidecar.log"));
    var execId = nextExecId();
    var command =
        List.of(
            "sh",
            "-c",
            "for i in $(seq 1 " + LINES + "); do echo line $i; sleep " + pause + "; done");
    var spec = new ExecSpec(execId, command, Map.of(), "/tmp", null, true);
    cluster.expectDetachedExec(
        id,
        spec,
        events.toString(),
        new ErrorStreamMessage(ExecScripts.STARTED + "\n"),
        new StatusStreamMessage(0));
    var started =
        viaB.post(
            "/sandboxes/" + id + "/exec",
            Api.json(Map.of("command", command, "async", true, "cwd", "/tmp")));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    return new SidecarExec(id, execId, spec);
  }

  private String ownedBy(int port, String prefix) {
    return pair.ownedBy(port, prefix);
  }

  @AfterEach
  void stop() {
    for (var process : new Process[] {sidecar, program}) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
    pair.close();
  }

  @Test
  void everyRequestForASandboxShouldReachItsOwnerWhereverItLands() throws Exception {
    startBoth();
    var id = ownedBy(portA, "on-a");
    var viaA = new Api(portA);
    var viaB = new Api(portB);
    var cluster = new MockCluster(server, client);
    // Created where it landed, on B: any replica may create; the hash says who owns it.
    assertThat(viaB.post("/sandboxes", "{\"id\":\"" + id.substring(4) + "\"}").status())
        .isEqualTo(201);
    cluster.markReady(id);
    await().atMost(Duration.ofSeconds(5)).until(() -> viaB.get("/sandboxes/" + id).status() == 200);

    // A sync exec through B runs on A: A knows it, B does not.
    var first = nextExecId();
    var hello = List.of("echo", "hello");
    cluster.expectExec(
        id,
        new ExecSpec(first, hello, Map.of(), "/workspace", null),
        new ErrorStreamMessage("sbx:started\n"),
        new OutputStreamMessage("hello\n"),
        new StatusStreamMessage(0));
    var result = viaB.post("/sandboxes/" + id + "/exec", Api.json(Map.of("command", hello)));
    assertThat(result.status()).as(result.body()).isEqualTo(200);
    assertThat(result.text("stdout")).isEqualTo("hello\n");
    assertThat(execsOn(a, id)).containsExactly(first);
    assertThat(execsOn(b, id)).isEmpty();

    // An async exec started through B, streamed through B while it runs on A, canceled
    // through B: every answer is A's, on either replica.
    var slow = nextExecId();
    var sleep = List.of("sh", "-c", "echo tick; sleep 60");
    cluster.expectExec(
        id,
        new ExecSpec(slow, sleep, Map.of(), "/workspace", null),
        new ErrorStreamMessage("sbx:started\n"),
        new OutputStreamMessage("tick\n"),
        // The wrapper's end, as the kill round would bring it about: in 8 s, after the cancel.
        delayed(8_000, new StatusStreamMessage(143)));
    cluster.expectScript(
        id,
        ExecScripts.kill(slow, "TERM"),
        new OutputStreamMessage("1\n"),
        new StatusStreamMessage(0));
    cluster.expectScript(
        id,
        ExecScripts.kill(slow, "KILL"),
        new OutputStreamMessage("0\n"),
        new StatusStreamMessage(0));
    var started =
        viaB.post("/sandboxes/" + id + "/exec", Api.json(Map.of("command", sleep, "async", true)));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    var stream = EventStream.open(viaB, "/sandboxes/" + id + "/stream?exec_id=" + slow);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                new String(stream.output(slow, "stdout"), StandardCharsets.UTF_8).equals("tick\n"));
    assertThat(viaA.get("/sandboxes/" + id + "/execs/" + slow).text("status")).isEqualTo("running");
    var canceled = viaB.post("/sandboxes/" + id + "/execs/" + slow + "/cancel", "");
    assertThat(canceled.status()).as(canceled.body()).isEqualTo(200);
    assertThat(canceled.text("status")).isEqualTo("canceled");
    assertThat(stream.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);
    assertThat(stream.events().get(stream.events().size() - 1).type()).isEqualTo("exit");
    for (var api : List.of(viaA, viaB)) {
      var view = api.get("/sandboxes/" + id + "/execs/" + slow);
      assertThat(view.text("status")).isEqualTo("canceled");
      assertThat(api.get("/sandboxes/" + id + "/execs").json().get("execs").size()).isEqualTo(2);
    }
    assertThat(execsOn(b, id)).isEmpty();
  }

  @Test
  void anExecStartedBeforeAReplicaJoinedShouldStillBeServedThroughTheNewOwner() throws Exception {
    // Only B is ready at first, so B owns every sandbox and runs this one's exec.
    pair.list("a", portA, false);
    b = pair.start(portB);
    var id = ownedBy(portA, "joined");
    var viaB = new Api(portB);
    var cluster = new MockCluster(server, client);
    viaB.post("/sandboxes", "{\"id\":\"" + id.substring(4) + "\"}");
    cluster.markReady(id);
    await().atMost(Duration.ofSeconds(5)).until(() -> viaB.get("/sandboxes/" + id).status() == 200);
    var execId = nextExecId();
    var sleep = List.of("sh", "-c", "echo tick; sleep 60");
    cluster.expectExec(
        id,
        new ExecSpec(execId, sleep, Map.of(), "/workspace", null),
        new ErrorStreamMessage("sbx:started\n"),
        new OutputStreamMessage("tick\n"),
        delayed(8_000, new StatusStreamMessage(143)));
    cluster.expectScript(
        id,
        ExecScripts.kill(execId, "TERM"),
        new OutputStreamMessage("1\n"),
        new StatusStreamMessage(0));
    cluster.expectScript(
        id,
        ExecScripts.kill(execId, "KILL"),
        new OutputStreamMessage("0\n"),
        new StatusStreamMessage(0));
    assertThat(
            viaB.post(
                    "/sandboxes/" + id + "/exec", Api.json(Map.of("command", sleep, "async", true)))
                .status())
        .isEqualTo(202);

    // A joins and owns the sandbox from then on; the exec lives on in B.
    a = pair.start(portA);
    pair.list("a", portA, true);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                a.getBean(Ownership.class).ownsLocally(id)
                    && !b.getBean(Ownership.class).ownsLocally(id));
    var viaA = new Api(portA);
    for (var api : List.of(viaA, viaB)) {
      assertThat(api.get("/sandboxes/" + id + "/execs/" + execId).text("status"))
          .isEqualTo("running");
    }
    var stream = EventStream.open(viaA, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                new String(stream.output(execId, "stdout"), StandardCharsets.UTF_8)
                    .equals("tick\n"));
    var canceled = viaA.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", "");
    assertThat(canceled.status()).as(canceled.body()).isEqualTo(200);
    assertThat(canceled.text("status")).isEqualTo("canceled");
    assertThat(stream.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);
    assertThat(execsOn(a, id)).isEmpty();
    assertThat(execsOn(b, id)).containsExactly(execId);
    // An exec no replica holds is still a plain 404 through the owner.
    assertThat(viaA.get("/sandboxes/" + id + "/execs/00000000000000ff").status()).isEqualTo(404);
  }

  @Test
  void forwardedRequestsShouldComeFromAReplicaAndNeverBeForwardedAgain() throws Exception {
    startBoth();
    var id = ownedBy(portA, "loop");
    var viaB = new Api(portB);
    // Claims to be forwarded without the secret: refused, whoever owns the sandbox.
    var forged =
        viaB.send(viaB.request("/sandboxes/" + id).header("Sbx-Forwarded-By", "127.0.0.1:1").GET());
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.problemType()).isEqualTo("urn:sbx:problem:forbidden");
    // Forwarded by a replica to one that does not own the sandbox (they disagreed for a
    // moment): refused with a retry, not sent on a second time.
    var misrouted =
        viaB.sendWithHeaders(
            viaB.request("/sandboxes/" + id)
                .header("Sbx-Forwarded-By", "127.0.0.1:" + portA)
                .header("Sbx-Peer-Secret", SECRET)
                .GET());
    assertThat(misrouted.statusCode()).isEqualTo(503);
    assertThat(misrouted.headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void whenAReplicaGoesItsSandboxesShouldMoveAndItsRunningExecsShowLost() throws Exception {
    startBoth();
    var id = ownedBy(portA, "moving");
    var viaB = new Api(portB);
    var cluster = new MockCluster(server, client);
    viaB.post("/sandboxes", "{\"id\":\"" + id.substring(4) + "\"}");
    cluster.markReady(id);
    await().atMost(Duration.ofSeconds(5)).until(() -> viaB.get("/sandboxes/" + id).status() == 200);
    var orphan = nextExecId();
    var sleep = List.of("sleep", "1000");
    cluster.expectExec(
        id,
        new ExecSpec(orphan, sleep, Map.of(), "/workspace", null),
        new ErrorStreamMessage("sbx:started\n"),
        delayed(600_000, new StatusStreamMessage(0)));
    var started =
        viaB.post("/sandboxes/" + id + "/exec", Api.json(Map.of("command", sleep, "async", true)));
    assertThat(started.status()).isEqualTo(202);
    assertThat(viaB.get("/sandboxes/" + id + "/execs/" + orphan).text("status"))
        .isEqualTo("running");

    // A goes: its pod stops, the endpoints controller marks it not ready. The wrapper's
    // marker is still in the pod, as it is while the program runs.
    a.close();
    cluster.expectScript(
        id,
        ExecScripts.interrupted(),
        new OutputStreamMessage(orphan + "\t1764199999\tsleep\u001f1000\u001f\n"),
        new StatusStreamMessage(0));
    pair.list("a", portA, false);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> viaB.get("/sandboxes/" + id + "/execs/" + orphan).status() == 200);
    var lost = viaB.get("/sandboxes/" + id + "/execs/" + orphan);
    assertThat(lost.text("status")).isEqualTo("lost");
    assertThat(lost.text("reason")).isEqualTo("control_plane_replica_lost");

    // New execs work, on B now.
    var next = nextExecId();
    var hello = List.of("echo", "still here");
    cluster.expectExec(
        id,
        new ExecSpec(next, hello, Map.of(), "/workspace", null),
        new ErrorStreamMessage("sbx:started\n"),
        new OutputStreamMessage("still here\n"),
        new StatusStreamMessage(0));
    var result = viaB.post("/sandboxes/" + id + "/exec", Api.json(Map.of("command", hello)));
    assertThat(result.status()).as(result.body()).isEqualTo(200);
    assertThat(result.text("stdout")).isEqualTo("still here\n");
    assertThat(execsOn(b, id)).contains(orphan, next);
  }

  @Test
  void sidecarIngestLandingOnTheOtherReplicaShouldReachTheOwnerAndEverySubscriber()
      throws Exception {
    // The sidecar reaches the control plane through the Service: here, always B, not the owner.
    var exec = sidecarExec("ingest", "0.05");
    var id = exec.id();
    var execId = exec.execId();
    var viaA = new Api(portA);
    var viaB = new Api(portB);
    var onA = EventStream.open(viaA, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    var onB = EventStream.open(viaB, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    // What the pod exec does in the sandbox container: the real wrapper starts the program.
    program = new ProcessBuilder(ExecScripts.detached(exec.spec(), events.toString())).start();

    var expected =
        IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i + "\n").collect(joining());
    for (var stream : List.of(onA, onB)) {
      assertThat(stream.awaitClose(Duration.ofSeconds(30))).as(sidecarLog()).isEqualTo(1000);
      assertThat(new String(stream.output(execId, "stdout"), StandardCharsets.UTF_8))
          .isEqualTo(expected);
      var last = stream.events().get(stream.events().size() - 1).event();
      assertThat(last.get("type").asString()).isEqualTo("exit");
      assertThat(last.get("exit_code").asInt()).isZero();
    }
    assertThat(execsOn(a, id)).containsExactly(execId);
    assertThat(execsOn(b, id)).isEmpty();
  }

  private static List<String> execsOn(ConfigurableApplicationContext replica, String id) {
    return replica.getBean(ExecService.class).list(id).stream().map(e -> e.execId()).toList();
  }

  private static String nextExecId() {
    return String.format("%016x", EXEC_IDS.incrementAndGet());
  }

  /** The same frame, sent {@code millis} after the exec opened. */
  private static WebSocketMessage delayed(long millis, WebSocketMessage message) {
    return new WebSocketMessage(millis, message.getBytes(), true, true);
  }

  private String sidecarLog() {
    try {
      return "sidecar log:\n" + Files.readString(logs.resolve("sidecar.log"));
    } catch (IOException e) {
      return "no sidecar log: " + e;
    }
  }
}
