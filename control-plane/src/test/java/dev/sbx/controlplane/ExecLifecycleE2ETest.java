package dev.sbx.controlplane;

import static dev.sbx.controlplane.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import dev.sbx.controlplane.testing.OneEvent;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Exec options, status, cancel, timeouts and stream guarantees on the real local runtime. */
class ExecLifecycleE2ETest extends LocalControlPlaneTest {

  // Every process a runaway exec can leave: one that ignores TERM, a setsid+nohup child in its
  // own session, and a background loop.
  private static final String RUNAWAY =
      "trap '' TERM; setsid nohup sleep 1001 >/dev/null 2>&1 &"
          + " (while true; do sleep 0.1; done) & sleep 1002";

  @Test
  void timeoutShouldKillTheWholeProcessTree() {
    var id = api.createSandbox();
    var result = exec(id, Map.of("command", List.of("bash", "-c", RUNAWAY), "timeout_seconds", 1));
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.text("status")).isEqualTo("timed_out");
    assertThat(result.text("reason")).isEqualTo("timeout");
    assertThat(result.json().get("exit_code").asInt()).isGreaterThan(128);
    assertThat(result.json().get("timeout_seconds").asInt()).isEqualTo(1);
    assertThat(leftovers(id)).isEmpty();
  }

  @Test
  void cancelShouldKillTheWholeProcessTreeAndReportCanceled() throws Exception {
    var id = api.createSandbox();
    var started = exec(id, Map.of("command", List.of("bash", "-c", RUNAWAY), "async", true));
    var execId = started.text("exec_id");
    var stream = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    var canceled = api.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", "");
    assertThat(canceled.status()).isEqualTo(200);
    assertThat(canceled.text("status")).isEqualTo("canceled");
    assertThat(leftovers(id)).isEmpty();
    assertThat(stream.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);
    var exit = stream.events().get(stream.events().size() - 1).event();
    assertThat(exit.get("type").asString()).isEqualTo("exit");
    assertThat(exit.get("status").asString()).isEqualTo("canceled");
    assertProblem(
        api.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", ""), 409, "exec-finished");
    assertThat(api.get("/sandboxes/" + id + "/execs/" + execId).text("status"))
        .isEqualTo("canceled");
  }

  @Test
  void backgroundJobOfAnExecThatEndedByItselfShouldSurviveOtherExecsTimeouts() {
    var id = api.createSandbox();
    api.bash(id, "nohup sleep 1003 >/dev/null 2>&1 &");
    exec(id, Map.of("command", List.of("sleep", "1004"), "timeout_seconds", 1));
    assertThat(leftovers(id)).containsExactly("sleep 1003");
  }

  @Test
  void stdinShouldReachTheCommandThenEnd() {
    var id = api.createSandbox();
    var text = exec(id, Map.of("command", List.of("cat"), "stdin", "hello\nworld"));
    assertThat(text.text("stdout")).isEqualTo("hello\nworld");
    var bytes = new byte[] {0, 1, (byte) 0xff, '\n'};
    var binary =
        exec(
            id,
            Map.of(
                "command",
                List.of("od", "-An", "-tx1"),
                "stdin_base64",
                Base64.getEncoder().encodeToString(bytes)));
    assertThat(binary.text("stdout").trim()).isEqualTo("00 01 ff 0a");
    var none = exec(id, Map.of("command", List.of("cat"), "timeout_seconds", 5));
    assertThat(none.text("status")).as("EOF at once, not a hang").isEqualTo("completed");
  }

  @Test
  void cwdAndEnvShouldApplyToThisCommandOnly() {
    var id = api.createSandbox();
    var result =
        exec(
            id,
            Map.of(
                "command",
                List.of("bash", "-c", "pwd; echo $FOO; test -n \"$SBX_EXEC_ID\" && echo marked"),
                "cwd",
                "/tmp",
                "env",
                Map.of("FOO", "bar baz")));
    assertThat(result.text("stdout")).isEqualTo("/tmp\nbar baz\nmarked\n");
    assertThat(api.bash(id, "pwd; echo \"[$FOO]\"").text("stdout")).isEqualTo("/workspace\n[]\n");
  }

  @Test
  void missingCwdShouldBe400AndRunNothing() {
    var id = api.createSandbox();
    var response = exec(id, Map.of("command", List.of("touch", "/workspace/ran"), "cwd", "/nope"));
    assertProblem(response, 400, "invalid-request");
    assertThat(response.text("field")).isEqualTo("cwd");
    assertThat(api.bash(id, "ls /workspace").text("stdout")).isEmpty();
    assertThat(api.get("/sandboxes/" + id + "/execs").json().get("execs")).hasSize(1);
  }

  @Test
  void badOptionsShouldBe400NamingTheField() {
    var id = api.createSandbox();
    for (var body :
        List.of(
            Map.of("command", List.of("true"), "timeout_seconds", 0),
            Map.of("command", List.of("true"), "timeout_seconds", 999_999_999),
            Map.of("command", List.of("true"), "stdin", "a", "stdin_base64", "YQ=="),
            Map.of("command", List.of("true"), "stdin_base64", "***"),
            Map.of("command", List.of("true"), "cwd", "relative"),
            Map.of("command", List.of("true"), "env", Map.of("1BAD", "x")))) {
      assertProblem(exec(id, body), 400, "invalid-request");
    }
    assertThat(api.get("/sandboxes/" + id + "/execs").json().get("execs")).isEmpty();
  }

  @Test
  void execsShouldListStatusesAndHideOtherSandboxesExecs() {
    var id = api.createSandbox();
    var other = api.createSandbox();
    var done = exec(id, Map.of("command", List.of("bash", "-c", "exit 7")));
    var running = exec(id, Map.of("command", List.of("sleep", "30"), "async", true));
    var list = api.get("/sandboxes/" + id + "/execs").json().get("execs");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("status").asString()).isEqualTo("completed");
    assertThat(list.get(0).get("exit_code").asInt()).isEqualTo(7);
    assertThat(list.get(0).has("finished_at")).isTrue();
    assertThat(list.get(1).get("status").asString()).isEqualTo("running");
    assertThat(list.get(1).has("exit_code")).isFalse();
    assertProblem(
        api.get("/sandboxes/" + other + "/execs/" + done.text("exec_id")), 404, "exec-not-found");
    api.post("/sandboxes/" + id + "/execs/" + running.text("exec_id") + "/cancel", "");
  }

  @Test
  void tooManyRunningExecsShouldBe429() {
    var id = api.createSandbox();
    for (int i = 0; i < 8; i++) {
      assertThat(exec(id, Map.of("command", List.of("sleep", "30"), "async", true)).status())
          .isEqualTo(202);
    }
    assertProblem(exec(id, Map.of("command", List.of("true"))), 429, "too-many-execs");
  }

  @Test
  void syncOutputOverTheLimitShouldBeCutAndSaySo() {
    var id = api.createSandbox();
    var result = exec(id, Map.of("command", List.of("head", "-c", "3000000", "/dev/zero")));
    assertThat(result.json().get("truncated").asBoolean()).isTrue();
    assertThat(result.text("stdout")).hasSize(1024 * 1024);
  }

  @Test
  void signalledCommandShouldReport128PlusTheSignal() {
    var id = api.createSandbox();
    var result = api.bash(id, "kill -9 $$");
    assertThat(result.json().get("exit_code").asInt()).isEqualTo(137);
    assertThat(result.text("status")).isEqualTo("failed");
    assertThat(result.text("reason")).isEqualTo("killed_by_signal");
    assertThat(result.text("signal")).isEqualTo("SIGKILL");
  }

  @Test
  void tenMebibytesOfRandomBytesShouldRoundTripExactlyThroughTheStream() throws Exception {
    var id = api.createSandbox();
    var made = api.bash(id, "head -c 10485760 /dev/urandom > blob; sha256sum blob | cut -c1-64");
    var expected = made.text("stdout").trim();
    var stream = EventStream.open(api, "/sandboxes/" + id + "/stream");
    var started = exec(id, Map.of("command", List.of("cat", "blob"), "async", true));
    var execId = started.text("exec_id");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stream.events().stream()
                    .anyMatch(
                        e ->
                            e.type().equals("exit")
                                && execId.equals(e.event().get("exec_id").asString())));
    var bytes = stream.output(execId, "stdout");
    assertThat(bytes).hasSize(10 * 1024 * 1024);
    var digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(digest).isEqualTo(expected);
  }

  @Test
  void reconnectingWithFromSeqAThousandTimesShouldLoseAndRepeatNothing() throws Exception {
    var id = api.createSandbox();
    var started =
        exec(
            id,
            Map.of(
                "command",
                List.of("bash", "-c", "for i in $(seq 1 1500); do echo $i; sleep 0.002; done"),
                "async",
                true));
    var execId = started.text("exec_id");
    var text = new StringBuilder();
    long next = 1;
    int connections = 0;
    boolean ended = false;
    while (!ended) {
      var resumed =
          OneEvent.read(
              api, "/sandboxes/" + id + "/stream?exec_id=" + execId + "&from_seq=" + next);
      connections++;
      assertThat(resumed.get("type").asString()).isNotEqualTo("gap");
      assertThat(resumed.get("seq").asLong()).isEqualTo(next);
      if (resumed.get("type").asString().equals("output")) {
        text.append(resumed.get("data").asString());
      }
      ended = resumed.get("type").asString().equals("exit");
      next++;
    }
    var expected = new StringBuilder();
    for (int i = 1; i <= 1500; i++) {
      expected.append(i).append('\n');
    }
    assertThat(text.toString()).isEqualTo(expected.toString());
    assertThat(connections).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void deletingTheSandboxMidExecShouldEndTheStreamWithALostExit() throws Exception {
    var id = api.createSandbox();
    var started = exec(id, Map.of("command", List.of("sleep", "1005"), "async", true));
    var stream =
        EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + started.text("exec_id"));
    api.delete("/sandboxes/" + id);
    stream.awaitClose(Duration.ofSeconds(10));
    var exit = stream.events().get(stream.events().size() - 1).event();
    assertThat(exit.get("status").asString()).isEqualTo("lost");
    assertThat(exit.get("reason").asString()).isEqualTo("sandbox_deleted");
    assertThat(exit.get("exit_code").asInt()).isEqualTo(-1);
  }

  private Api.Response exec(String id, Map<String, ?> body) {
    return api.post("/sandboxes/" + id + "/exec", Api.json(body));
  }

  /** What still runs in the sandbox besides its init and the ps looking. */
  private List<String> leftovers(String id) {
    var ps = api.bash(id, "ps -eo args --no-headers").text("stdout");
    return ps.lines()
        .filter(line -> !line.startsWith("/usr/bin/bwrap") && !line.startsWith("bwrap"))
        .filter(
            line -> !line.equals("/run/sbx-init") && !line.equals("/run/sbx-shell /run/sbx/init"))
        .filter(line -> !line.contains("ps -eo args"))
        .toList();
  }
}
