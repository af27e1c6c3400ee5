package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Cli;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end: the real control plane, the real bubblewrap runtime, the real
 * CLI and a real WebSocket client. CI runs it as root and as an ordinary user.
 */
class LocalSandboxE2ETest extends LocalControlPlaneTest {

  @Test
  void cliShouldCreateExecLiveShowListAndDeleteASandbox() {
    var cli = new Cli(api);
    var created = cli.run("create");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    var matcher =
        Pattern.compile("id=(sbx-[0-9a-f]{12}) namespace=(\\S+) pod=sandbox\\n")
            .matcher(created.out());
    assertThat(matcher.matches()).as(created.out()).isTrue();
    var id = matcher.group(1);
    assertThat(matcher.group(2)).isEqualTo(id);

    var exec =
        cli.run(
            "exec",
            "-id",
            id,
            "--",
            "bash",
            "-lc",
            "for i in 1 2 3; do echo $i; sleep 0.4; done; echo oops >&2; exit 3");
    assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3);
    assertThat(exec.out()).isEqualTo("1\n2\n3\n");
    assertThat(exec.err()).isEqualTo("oops\n");
    var first = exec.chunks().stream().filter(c -> c.text().contains("1")).findFirst().get();
    var last = exec.chunks().stream().filter(c -> c.text().contains("3")).findFirst().get();
    assertThat(Duration.ofNanos(last.nanoTime() - first.nanoTime()))
        .as("1 and 3 printed as they happened, not at the end")
        .isGreaterThan(Duration.ofMillis(500));

    var status = cli.run("status", "-id", id);
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).startsWith("id=" + id + "\n").contains("phase=Running\n");

    var list = cli.run("list");
    assertThat(list.out()).startsWith("ID").contains(id);

    var deleted = cli.run("delete", "-id", id);
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    var gone = cli.run("status", "-id", id);
    assertThat(gone.exitCode()).isEqualTo(3);
    assertThat(gone.err()).contains("not found");
  }

  @Test
  void cliExecOptionsShouldReachTheCommandAndExecsShowTheirEnd() {
    var cli = new Cli(api);
    var id = api.createSandbox();
    var piped =
        cli.runWithStdin(
            "hi from stdin\n".getBytes(StandardCharsets.UTF_8),
            "exec",
            "-id",
            id,
            "-i",
            "-cwd",
            "/tmp",
            "-env",
            "FOO=bar",
            "--",
            "bash",
            "-c",
            "cat; pwd; echo $FOO");
    assertThat(piped.exitCode()).as(piped.toString()).isZero();
    assertThat(piped.out()).isEqualTo("hi from stdin\n/tmp\nbar\n");

    var slow = cli.run("exec", "-id", id, "-timeout", "1", "--", "sleep", "60");
    assertThat(slow.err()).contains("timed out");
    assertThat(slow.exitCode()).isGreaterThan(128);

    var execs = cli.run("execs", "-id", id);
    assertThat(execs.out()).startsWith("EXEC ID").contains("timed_out").contains("completed");

    var started = cli.run("exec", "-id", id, "-async", "--", "sleep", "60");
    var execId = started.out().replaceAll("(?s)exec_id=(\\S+).*", "$1");
    var canceled = cli.run("cancel", "-id", id, "-exec-id", execId);
    assertThat(canceled.exitCode()).as(canceled.toString()).isZero();
    assertThat(canceled.out()).startsWith("canceled " + execId);
    assertThat(cli.run("cancel", "-id", id, "-exec-id", execId).exitCode()).isEqualTo(4);
  }

  @Test
  void syncExecShouldAnswer200WithStdoutStderrAndTheRealExitCode() {
    var id = api.createSandbox();
    var response =
        api.post(
            "/sandboxes/" + id + "/exec",
            "{\"command\":[\"bash\",\"-lc\",\"echo out; echo err >&2; exit 3\"]}");
    assertThat(response.status()).isEqualTo(200);
    var body = response.json();
    assertThat(body.get("stdout").asString()).isEqualTo("out\n");
    assertThat(body.get("stderr").asString()).isEqualTo("err\n");
    assertThat(body.get("exit_code").asInt()).isEqualTo(3);
    assertThat(body.get("status").asString()).isEqualTo("completed");
  }

  @Test
  void concurrentExecsShouldEachGetTheirOwnExitCode() throws Exception {
    // Each end must reach the exec it belongs to, with its own status. (Codes under 128: a shell
    // says 128+N for a command killed by signal N, so higher ones read as signals.)
    var id = api.createSandbox();
    // Eight at a time, the most these tests' SANDBOX_EXEC_MAX_RUNNING lets run.
    var clients = Executors.newFixedThreadPool(8);
    try {
      var answers = new ArrayList<Future<List<String>>>();
      for (int client = 0; client < 8; client++) {
        int first = client * 25;
        answers.add(
            clients.submit(
                () -> {
                  var wrong = new ArrayList<String>();
                  for (int code = first; code < first + 25; code++) {
                    var response =
                        api.post(
                            "/sandboxes/" + id + "/exec",
                            "{\"command\":[\"sh\",\"-c\",\"exit " + code % 120 + "\"]}");
                    var exitCode =
                        response.status() == 200 ? response.json().get("exit_code") : null;
                    if (exitCode == null || exitCode.asInt() != code % 120) {
                      wrong.add(
                          code % 200 + " answered " + response.status() + " " + response.body());
                    }
                  }
                  return wrong;
                }));
      }
      for (var answer : answers) {
        assertThat(answer.get(120, TimeUnit.SECONDS)).isEmpty();
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void execShouldPassEveryArgumentExactlyWithoutAShell() {
    var id = api.createSandbox();
    var response =
        api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"echo\",\"a;id\",\"$HOME\",\"*\"]}");
    assertThat(response.text("stdout")).isEqualTo("a;id $HOME *\n");
  }

  @Test
  void asyncExecShouldStreamStartOutputAndExitLiveThenCloseTheSocket() throws Exception {
    var id = api.createSandbox();
    var started =
        api.post(
            "/sandboxes/" + id + "/exec",
            "{\"command\":[\"bash\",\"-c\",\"echo first; sleep 1; echo second; exit 4\"],"
                + "\"async\":true}");
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.text("status")).isEqualTo("running");
    var execId = started.text("exec_id");

    var stream = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    assertThat(stream.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);

    var events = stream.events();
    assertThat(events)
        .extracting(EventStream.Received::type)
        .containsExactly("start", "output", "output", "exit");
    for (int i = 0; i < events.size(); i++) {
      var event = events.get(i).event();
      assertThat(event.get("seq").asLong()).isEqualTo(i + 1);
      assertThat(event.get("exec_id").asString()).isEqualTo(execId);
      assertThat(event.get("sandbox_id").asString()).isEqualTo(id);
    }
    assertThat(events.get(1).event().get("data").asString()).isEqualTo("first\n");
    assertThat(events.get(1).event().get("stream").asString()).isEqualTo("stdout");
    assertThat(events.get(2).event().get("data").asString()).isEqualTo("second\n");
    assertThat(events.get(3).event().get("exit_code").asInt()).isEqualTo(4);
    assertThat(Duration.ofNanos(events.get(3).nanoTime() - events.get(1).nanoTime()))
        .as("first arrives while the command still runs")
        .isGreaterThan(Duration.ofMillis(500));
  }

  @Test
  void streamWithoutExecIdShouldCarryEveryExecOfTheSandbox() throws Exception {
    var id = api.createSandbox();
    var stream = EventStream.open(api, "/sandboxes/" + id + "/stream");
    api.bash(id, "echo one");
    api.bash(id, "echo two");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stream.events().stream().filter(e -> e.type().equals("exit")).count() == 2);
    assertThat(stream.events().stream().map(e -> e.event().path("data").asString("")))
        .contains("one\n", "two\n");
    assertThat(stream.isClosed()).isFalse();
  }

  @Test
  void backgroundProcessShouldOutliveItsExecAndBeSeenByTheNext() {
    var id = api.createSandbox();
    var start = api.bash(id, "nohup sleep 3001 >/dev/null 2>&1 & echo started");
    assertThat(start.text("stdout")).isEqualTo("started\n");
    var ps = api.bash(id, "ps -eo args");
    assertThat(ps.text("stdout")).contains("sleep 3001");
  }

  @Test
  void workspaceShouldBeWritableAndKeepFilesBetweenExecs() {
    var id = api.createSandbox();
    api.bash(id, "echo kept > /workspace/note.txt");
    var read = api.bash(id, "pwd; cat note.txt");
    assertThat(read.text("stdout")).isEqualTo("/workspace\nkept\n");
  }

  @Test
  void systemFoldersShouldBeReadOnly() {
    var id = api.createSandbox();
    for (var path : List.of("/usr/x", "/etc/x", "/bin/x", "/x")) {
      var touch = api.bash(id, "touch " + path);
      assertThat(touch.json().get("exit_code").asInt()).as(path).isNotZero();
    }
  }

  @Test
  void sandboxesShouldNotSeeEachOthersProcessesOrFiles() {
    var a = api.createSandbox();
    var b = api.createSandbox();
    api.bash(a, "nohup sleep 3002 >/dev/null 2>&1 & echo secret > /workspace/a-marker");
    var ps = api.bash(b, "ps -eo args");
    assertThat(ps.text("stdout")).doesNotContain("sleep 3002").contains("ps -eo args");
    var search = api.bash(b, "find / -xdev -name a-marker 2>/dev/null; ls " + STATE_DIR);
    assertThat(search.text("stdout")).doesNotContain("a-marker");
    assertThat(search.json().get("exit_code").asInt()).isNotZero();
  }

  @Test
  void sandboxShouldRunWithoutPrivilegesAndNeverAsHostRoot() {
    var id = api.createSandbox();
    for (int i = 0; i < 2; i++) {
      var status = api.bash(id, "grep -E '^(CapEff|NoNewPrivs):' /proc/self/status");
      assertThat(status.text("stdout"))
          .contains("CapEff:\t0000000000000000")
          .contains("NoNewPrivs:\t1");
    }
    var shadow = api.bash(id, "cat /etc/shadow");
    assertThat(shadow.json().get("exit_code").asInt()).isNotZero();
    api.bash(id, "nohup sleep 3005 >/dev/null 2>&1 &");
    // The background sleep may still be a bash being replaced by sleep when the exec returns.
    await().atMost(Duration.ofSeconds(5)).until(() -> hostProcessesRunning("3005"));
    var sleeper = hostProcess("3005").orElseThrow();
    assertThat(hostUid(sleeper)).as("host uid of a sandbox process").isNotZero();
    var mount = api.bash(id, "mount -t tmpfs none /tmp");
    assertThat(mount.json().get("exit_code").asInt()).isNotZero();
  }

  @Test
  void hostHomeAndRootShouldNotBeVisible() {
    var id = api.createSandbox();
    var ls = api.bash(id, "ls /home; ls /root; ls " + System.getProperty("user.home"));
    assertThat(ls.text("stdout")).isEqualTo("sandbox\n");
    assertThat(ls.json().get("exit_code").asInt()).isNotZero();
  }

  @Test
  void sandboxShouldHaveNoNetworkButLoopback() {
    var id = api.createSandbox();
    var interfaces = api.bash(id, "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
    assertThat(interfaces.text("stdout")).isEqualTo("lo\n");
  }

  @Test
  void deleteShouldKillEveryProcessAndRemoveTheFolder() {
    var id = api.createSandbox();
    api.bash(id, "nohup sleep 3003 >/dev/null 2>&1 &");
    // The background sleep may still be a bash being replaced by sleep when the exec returns.
    await().atMost(Duration.ofSeconds(5)).until(() -> hostProcessesRunning("3003"));
    assertThat(api.delete("/sandboxes/" + id).status()).isEqualTo(200);
    assertThat(hostProcessesRunning("3003")).isFalse();
    assertThat(Files.exists(STATE_DIR.resolve(id))).isFalse();
    assertThat(api.get("/sandboxes/" + id).status()).isEqualTo(404);
  }

  @Test
  void shortIdShouldNameTheSameSandbox() {
    var created = api.post("/sandboxes", "{\"id\":\"short-form\"}");
    assertThat(created.text("id")).isEqualTo("sbx-short-form");
    assertThat(api.get("/sandboxes/short-form").text("id")).isEqualTo("sbx-short-form");
    assertThat(api.bash("short-form", "echo hi").text("stdout")).isEqualTo("hi\n");
  }

  private static boolean hostProcessesRunning(String sleepSeconds) {
    return hostProcess(sleepSeconds).isPresent();
  }

  /** A {@code sleep <seconds>} process as this machine (not the sandbox) sees it. */
  private static Optional<ProcessHandle> hostProcess(String sleepSeconds) {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info().command().orElse("").endsWith("sleep")
                    && List.of(p.info().arguments().orElse(new String[0])).contains(sleepSeconds))
        .findFirst();
  }

  private static int hostUid(ProcessHandle process) {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/" + process.pid()), "unix:uid");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
