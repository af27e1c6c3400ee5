package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The state folder is the source of truth: a restarted control plane finds its sandboxes. */
@RequiresBubblewrap
class RestartTest {

  private final Path stateDir = StateDirs.create("restart");

  @Test
  void restartShouldReportExecsThatWereRunningAsLost() throws Exception {
    String id;
    String execId;
    try (var first = start()) {
      var api = api(first);
      id = api.createSandbox();
      execId =
          api.post(
                  "/sandboxes/" + id + "/exec", "{\"command\":[\"sleep\",\"1006\"],\"async\":true}")
              .text("exec_id");
    }
    try (var second = start()) {
      var api = api(second);
      var exec = api.get("/sandboxes/" + id + "/execs/" + execId).json();
      assertThat(exec.get("status").asString()).isEqualTo("lost");
      assertThat(exec.get("reason").asString()).isEqualTo("control_plane_restarted");
      assertThat(exec.get("exit_code").asInt()).isEqualTo(-1);
      assertThat(exec.get("command").toString()).isEqualTo("[\"sleep\",\"1006\"]");
      var stream = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + execId);
      stream.awaitClose(Duration.ofSeconds(10));
      var last = stream.events().get(stream.events().size() - 1).event();
      assertThat(last.get("status").asString()).isEqualTo("lost");
      api.delete("/sandboxes/" + id);
    }
  }

  @Test
  void restartShouldKeepEveryByteAndTheStatusOfExecsThatRanBefore() throws Exception {
    String id;
    String finished;
    String interrupted;
    String finishedOut;
    String interruptedOut;
    try (var first = start()) {
      var api = api(first);
      id = api.createSandbox();
      finished =
          api.post(
                  "/sandboxes/" + id + "/exec",
                  "{\"command\":[\"bash\",\"-c\",\"head -c 3000000 /dev/urandom | base64;"
                      + " echo err >&2; exit 3\"],\"async\":true}")
              .text("exec_id");
      interrupted =
          api.post(
                  "/sandboxes/" + id + "/exec",
                  "{\"command\":[\"bash\",\"-c\",\"seq 1 5000; echo marked; sleep 1007\"],"
                      + "\"async\":true}")
              .text("exec_id");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(api, id, finished).equals("completed"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> output(api, id, interrupted, "stdout").endsWith("marked\n"));
      finishedOut = output(api, id, finished, "stdout");
      interruptedOut = output(api, id, interrupted, "stdout");
      assertThat(finishedOut).hasSize(4_000_000 + 52_632); // base64: 76 columns, then a newline
      var summary = stateDir.resolve(".output").resolve(id).resolve(finished + ".exec");
      // Written off the exec's path, just after it ended.
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(summary));
    }
    try (var second = start()) {
      var api = api(second);
      var exec = api.get("/sandboxes/" + id + "/execs/" + finished).json();
      assertThat(exec.get("status").asString()).isEqualTo("completed");
      assertThat(exec.get("exit_code").asInt()).isEqualTo(3);
      assertThat(exec.get("command").toString()).contains("head -c 3000000");
      assertThat(output(api, id, finished, "stdout")).isEqualTo(finishedOut);
      assertThat(output(api, id, finished, "stderr")).isEqualTo("err\n");
      assertThat(output(api, id, interrupted, "stdout")).isEqualTo(interruptedOut);
      assertThat(status(api, id, interrupted)).isEqualTo("lost");

      for (var execId : List.of(finished, interrupted)) {
        var stream =
            EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + execId + "&from_seq=1");
        stream.awaitClose(Duration.ofSeconds(20));
        assertThat(stream.events())
            .extracting(EventStream.Received::type)
            .as(execId)
            .startsWith("start")
            .endsWith("exit")
            .doesNotContain("gap");
        assertThat(new String(stream.output(execId, "stdout"), StandardCharsets.UTF_8))
            .isEqualTo(execId.equals(finished) ? finishedOut : interruptedOut);
      }
      var exit = api.bash(id, "echo after");
      assertThat(exit.text("stdout")).isEqualTo("after\n");
      api.delete("/sandboxes/" + id);
      assertThat(stateDir.resolve(".output").resolve(id)).doesNotExist();
    }
  }

  private static String status(Api api, String id, String execId) {
    return api.get("/sandboxes/" + id + "/execs/" + execId).text("status");
  }

  private static String output(Api api, String id, String execId, String stream) {
    var response =
        api.get("/sandboxes/" + id + "/execs/" + execId + "/output?follow=false&stream=" + stream);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  @Test
  void restartShouldFindSandboxesWithTheirFilesButNotTheirProcesses() {
    String id;
    Object owner;
    try (var first = start()) {
      var api = api(first);
      id = api.createSandbox();
      api.bash(id, "echo kept > /workspace/f; nohup sleep 3004 >/dev/null 2>&1 &");
      owner = ownerOf(stateDir.resolve(id).resolve("fs/workspace/f"));
    }
    try (var second = start()) {
      var api = api(second);
      assertThat(api.sandboxIds()).containsExactly(id);
      var sandbox = api.get("/sandboxes/" + id).json();
      assertThat(sandbox.get("phase").asString()).isEqualTo("Running");
      var after = api.bash(id, "cat /workspace/f; ps -eo args");
      assertThat(after.text("stdout")).startsWith("kept\n").doesNotContain("sleep 3004");
      api.bash(id, "echo again > /workspace/g");
      assertThat(ownerOf(stateDir.resolve(id).resolve("fs/workspace/g")))
          .as("the same host uid as before")
          .isEqualTo(owner);
      assertThat(api.delete("/sandboxes/" + id).status()).isEqualTo(200);
    }
  }

  @Test
  void restartShouldKeepEachSandboxsLimitsAndEnforceThemAgain() {
    String id;
    try (var first = start()) {
      var api = api(first);
      id =
          api.post("/sandboxes", "{\"resources\":{\"pids_limit\":16,\"mem_limit\":\"96Mi\"}}")
              .text("id");
    }
    try (var second = start()) {
      var api = api(second);
      var resources = api.get("/sandboxes/" + id).json().get("resources");
      assertThat(resources.get("pids_limit").asInt()).isEqualTo(16);
      assertThat(resources.get("mem_limit").asString()).isEqualTo("96Mi");
      // 20 sleeping children cannot all start under a limit of 16 processes (bash retries a
      // failed fork for 15 s: timeout ends it once it has said so).
      var many = api.bash(id, "timeout 3 bash -c 'for i in $(seq 20); do sleep 60 & done'; true");
      assertThat(many.text("stderr")).contains("Resource temporarily unavailable");
      assertThat(api.delete("/sandboxes/" + id).status()).isEqualTo(200);
    }
  }

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(ControlPlaneApplication.class)
        .run("--server.port=0", "--SANDBOX_STATE_DIR=" + stateDir);
  }

  private static Object ownerOf(Path file) {
    try {
      return Files.getAttribute(file, "unix:uid");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
  }
}
