package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.ControlPlaneApplication;
import dev.sbx.controlplane.exec.ExecIds;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Sidecar mode end to end with real processes: the control plane (on fabric8's mock API server,
 * which keeps the cluster's state across the restart), the real stream-sidecar program as a process
 * against a temporary events folder, and the exec's real program started there by the real
 * sidecar-mode wrapper, as the pod exec would start it in the sandbox container. The control plane
 * is stopped and started again mid-exec: a subscriber that reconnects gets the rest.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class SidecarRestartE2ETest {

  private static final String EXEC_ID = "00000000000000e2";
  private static final int LINES = 40;

  static KubernetesMockServer server;
  static KubernetesClient client;

  @TempDir Path events;
  @TempDir Path logs;
  private int port;
  private Process sidecar;
  private Process program;
  private ConfigurableApplicationContext controlPlane;

  @AfterEach
  void stop() {
    for (var process : new Process[] {sidecar, program}) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void outputShouldSurviveARestartOfTheControlPlaneMidExec() throws Exception {
    var id = startCountingExec("survivor");
    var api = new Api(port);

    var before = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + EXEC_ID);
    await().atMost(Duration.ofSeconds(15)).until(() -> outputs(before) >= 5);
    controlPlane.close();
    long lastSeen =
        before.events().stream().mapToLong(r -> r.event().get("seq").asLong()).max().orElse(0);
    assertThat(outputs(before)).as("the exec was cut mid-way").isLessThan(LINES);

    controlPlane = start();
    // Straight after the restart, before the sidecar is back: the handshake waits for it to
    // announce the exec again instead of answering 404.
    EventStream after;
    try {
      after =
          EventStream.open(
              api,
              "/sandboxes/" + id + "/stream?exec_id=" + EXEC_ID + "&from_seq=" + (lastSeen + 1));
    } catch (RuntimeException e) {
      throw new AssertionError(sidecarLog(), e);
    }
    var status = api.get("/sandboxes/" + id + "/execs/" + EXEC_ID);
    assertThat(status.status()).as("known again after the restart").isEqualTo(200);
    assertThat(status.text("status")).isIn("running", "completed");
    await().atMost(Duration.ofSeconds(30)).until(after::isClosed);
    var ended = api.get("/sandboxes/" + id + "/execs/" + EXEC_ID);
    assertThat(ended.text("status")).isEqualTo("completed");
    assertThat(ended.text("exit_code")).isEqualTo("0");

    var output = new ByteArrayOutputStream();
    output.write(before.output(EXEC_ID, "stdout"));
    output.write(after.output(EXEC_ID, "stdout"));
    assertThat(output.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            IntStream.rangeClosed(1, LINES)
                .mapToObj(i -> "line " + i + "\n")
                .collect(Collectors.joining()));
    var events = after.events();
    assertThat(events).extracting(r -> r.event().get("seq").asLong()).doesNotHaveDuplicates();
    assertThat(events.get(0).event().get("seq").asLong()).isEqualTo(lastSeen + 1);
    var exit = events.get(events.size() - 1).event();
    assertThat(exit.get("type").asString()).isEqualTo("exit");
    assertThat(exit.get("exit_code").asInt()).isZero();
    assertThat(exit.get("status").asString()).isEqualTo("completed");
    // Once its exit was delivered, the sidecar cleans the exec's files up.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !Files.list(this.events).findAny().isPresent());
  }

  @Test
  void outputShouldSurviveARestartOfTheSidecarMidExec() throws Exception {
    var id = startCountingExec("steady");
    var api = new Api(port);
    var stream = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + EXEC_ID);
    await().atMost(Duration.ofSeconds(15)).until(() -> outputs(stream) >= 5);

    // The sidecar dies hard (a crash, an OOM kill); as a native sidecar (restartPolicy Always)
    // the kubelet starts it again on the same events folder.
    sidecar.destroyForcibly().waitFor();
    assertThat(outputs(stream)).as("the exec was cut mid-way").isLessThan(LINES);
    sidecar = startSidecar(id);

    try {
      await().atMost(Duration.ofSeconds(30)).until(stream::isClosed);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(sidecarLog(), e);
    }
    assertThat(new String(stream.output(EXEC_ID, "stdout"), StandardCharsets.UTF_8))
        .isEqualTo(
            IntStream.rangeClosed(1, LINES)
                .mapToObj(i -> "line " + i + "\n")
                .collect(Collectors.joining()));
    var events = stream.events();
    assertThat(events).extracting(r -> r.event().get("seq").asLong()).doesNotHaveDuplicates();
    assertThat(events.get(events.size() - 1).event().get("exit_code").asInt()).isZero();
  }

  /**
   * Starts a control plane and its sidecar for a new ready sandbox, and in it an async exec that
   * prints {@link #LINES} numbered lines slowly; returns the sandbox id.
   */
  private String startCountingExec(String sandboxId) throws Exception {
    port = freePort(); // now: the mock API server has its own port already
    controlPlane = start();
    var api = new Api(port);
    var id = api.post("/sandboxes", "{\"id\":\"" + sandboxId + "\"}").text("id");
    new MockCluster(server, client).markReady(id);
    sidecar = startSidecar(id);
    var command =
        List.of("sh", "-c", "for i in $(seq 1 " + LINES + "); do echo line $i; sleep 0.1; done");
    var spec = new ExecSpec(EXEC_ID, command, Map.of(), "/tmp", null, true);
    new MockCluster(server, client)
        .expectDetachedExec(
            id,
            spec,
            events.toString(),
            new ErrorStreamMessage(ExecScripts.STARTED + "\n"),
            new StatusStreamMessage(0));
    var started =
        api.post(
            "/sandboxes/" + id + "/exec",
            "{\"command\":" + toJson(command) + ",\"async\":true,\"cwd\":\"/tmp\"}");
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.text("exec_id")).isEqualTo(EXEC_ID);
    // What the pod exec does in the sandbox container: the real wrapper starts the program.
    program = new ProcessBuilder(ExecScripts.detached(spec, events.toString())).start();
    return id;
  }

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(ControlPlaneApplication.class)
        .initializers(
            context -> {
              var generic = (GenericApplicationContext) context;
              // The test's client outlives each control plane: not closed with the context.
              generic.registerBean(
                  "kubernetesClient",
                  KubernetesClient.class,
                  () -> client,
                  definition -> definition.setDestroyMethodName(""));
              generic.registerBean(
                  "predictableExecIds",
                  ExecIds.class,
                  () ->
                      new ExecIds() {
                        @Override
                        public String next() {
                          return EXEC_ID;
                        }
                      },
                  definition -> definition.setPrimary(true));
            })
        .run(
            "--server.port=" + port,
            "--SANDBOX_RUNTIME=kubernetes",
            "--SANDBOX_IDLE_TTL=0",
            "--SANDBOX_STREAM_MODE=sidecar",
            "--SANDBOX_STREAM_SIDECAR_IMAGE=sbx-stream-sidecar:dev",
            "--SANDBOX_STREAM_ENDPOINT=http://127.0.0.1:" + port,
            "--SANDBOX_STREAM_EVENTS_DIR=" + events);
  }

  private Process startSidecar(String id) throws Exception {
    return SidecarProcess.start(
        "http://127.0.0.1:" + port,
        id,
        MockCluster.ingestToken(client, id),
        events,
        logs.resolve("sidecar.log"));
  }

  private String sidecarLog() {
    try {
      return "sidecar log:\n" + Files.readString(logs.resolve("sidecar.log"));
    } catch (IOException e) {
      return "no sidecar log: " + e;
    }
  }

  private static long outputs(EventStream stream) {
    return stream.events().stream().filter(r -> r.type().equals("output")).count();
  }

  private static String toJson(List<String> command) {
    return command.stream()
        .map(arg -> "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
