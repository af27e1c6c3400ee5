package dev.sbx.controlplane.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.Cli;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import dev.sbx.controlplane.testing.TerminalClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /sandboxes/{id}/tty} against the real control plane and bwrap, as a browser terminal or
 * {@code sbx shell} uses it: a real PTY in the sandbox, bytes both ways, resize, reattach, two
 * clients, cancel and the detach grace.
 */
@RequiresBubblewrap
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TerminalE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  // A setting of its own makes a control plane of its own, which needs its own state folder: the
  // shared one is locked by the control plane the other local tests share.
  private static final Path STATE = StateDirs.create("tty");

  @LocalServerPort int port;
  private Api api;

  @DynamicPropertySource
  static void shortGrace(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE::toString);
    registry.add("SANDBOX_EXEC_KILL_GRACE", () -> "500ms");
    registry.add("SANDBOX_TTY_DETACH_GRACE", () -> "2s");
  }

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  @AfterEach
  void deleteSandboxes() {
    api.deleteSandboxes();
  }

  private TerminalClient open(String id, String query) {
    return TerminalClient.open(api, "/sandboxes/" + id + "/tty" + query);
  }

  @Test
  void aShellShouldTakeTypedBytesPrintToTheTerminalAndFollowResizes() throws Exception {
    var id = api.createSandbox();
    var tty = open(id, "?cols=100&rows=30");
    var execId = tty.execId();
    tty.type("tty; stty size\r").awaitOutput("30 100", WAIT);
    assertThat(tty.output()).contains("/dev/pts/");
    tty.control("{\"type\":\"resize\",\"cols\":120,\"rows\":40}");
    tty.type("stty size\r").awaitOutput("40 120", WAIT);
    tty.type("echo $((6*7)) $TERM\r").awaitOutput("42 xterm-256color", WAIT);

    var listed = api.get("/sandboxes/" + id + "/execs/" + execId).json();
    assertThat(listed.path("tty").asBoolean()).isTrue();
    assertThat(listed.path("status").asString()).isEqualTo("running");

    tty.type("exit 5\r");
    var exit = tty.awaitControl("exit", WAIT);
    assertThat(exit.path("exit_code").asInt()).isEqualTo(5);
    assertThat(exit.path("status").asString()).isEqualTo("completed");
    assertThat(tty.awaitClose(WAIT)).isEqualTo(1000);
    assertThat(api.get("/sandboxes/" + id + "/execs/" + execId).json().path("exit_code").asInt())
        .isEqualTo(5);
  }

  @Test
  void ctrlCShouldInterruptTheForegroundJobAndNotTheShell() throws Exception {
    var id = api.createSandbox();
    var tty = open(id, "");
    tty.execId();
    tty.awaitOutput("$ ", WAIT); // the prompt: a Ctrl-C before it would end the shell's start-up
    tty.type("sleep 100; echo slept-$((1+1))\r");
    awaitSleeping(id);
    tty.type("\u0003").type("echo typed-$((2+2))\r").awaitOutput("typed-4", WAIT);
    tty.type("sleep 100\r");
    awaitSleeping(id);
    tty.control("{\"type\":\"signal\",\"signal\":\"INT\"}");
    tty.type("echo sent-$((3+3))\r").awaitOutput("sent-6", WAIT);
    assertThat(tty.output()).doesNotContain("slept-2");
    tty.type("exit\r");
    assertThat(tty.awaitControl("exit", WAIT).path("exit_code").asInt()).isZero();
  }

  /** Waits until a sleep runs in the sandbox, asking it as any client would. */
  private void awaitSleeping(String id) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    var sleeping =
        "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = sleep ] && exit 0; done;"
            + " exit 1";
    while (api.bash(id, sleeping).json().path("exit_code").asInt() != 0) {
      assertThat(System.nanoTime()).as("no sleep running within 15 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void badControlMessagesShouldBeAnsweredAndLeaveTheSessionOpen() throws Exception {
    var id = api.createSandbox();
    var tty = open(id, "");
    tty.execId();
    tty.control("{\"type\":\"signal\",\"signal\":\"BOGUS\"}");
    tty.control("{\"type\":\"resize\",\"cols\":0,\"rows\":5}");
    tty.control("not json");
    tty.control("{\"type\":\"launch\"}");
    tty.type("echo still-$((5+5))\r").awaitOutput("still-10", WAIT);
    assertThat(tty.controls("error")).hasSize(4);
    assertThat(tty.controls("error").get(0).path("detail").asString()).contains("signal");
    tty.type("exit\r").awaitClose(WAIT);
  }

  @Test
  void aDroppedClientShouldReattachAndGetTheRecentOutputFirst() throws Exception {
    var id = api.createSandbox();
    var first = open(id, "?cols=90&rows=20");
    var execId = first.execId();
    first.type("echo before-$((20+1))\r").awaitOutput("before-21", WAIT);
    first.drop();

    var again = open(id, "?exec_id=" + execId + "&cols=70&rows=15");
    assertThat(again.execId()).isEqualTo(execId);
    again.awaitOutput("before-21", WAIT); // replayed before anything was typed
    again.type("stty size\r").awaitOutput("15 70", WAIT);
    again.type("exit 3\r");
    assertThat(again.awaitControl("exit", WAIT).path("exit_code").asInt()).isEqualTo(3);
    assertThat(again.awaitClose(WAIT)).isEqualTo(1000);
  }

  @Test
  void aClientThatKnowsWhatItShowedShouldResumeRightAfterIt() throws Exception {
    var id = api.createSandbox();
    var first = open(id, "");
    var execId = first.execId();
    first.type("echo one-$((1+1))\r").awaitOutput("one-2\r\n", WAIT);
    int shown = first.output().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    first.drop();
    var again = open(id, "?exec_id=" + execId + "&offset=" + shown);
    assertThat(again.awaitControl("started", WAIT).path("offset").asLong()).isEqualTo(shown);
    again.type("echo two-$((1+2))\r").awaitOutput("two-3", WAIT);
    assertThat(again.output()).doesNotContain("one-2");
    again.type("exit\r").awaitClose(WAIT);
  }

  @Test
  void twoClientsShouldBothSeeTheOutputAndBothType() throws Exception {
    var id = api.createSandbox();
    var a = open(id, "");
    var execId = a.execId();
    var b = open(id, "?exec_id=" + execId);
    b.execId();
    a.type("echo from-a-$((1+1))\r");
    b.awaitOutput("from-a-2", WAIT);
    b.type("echo from-b-$((2+1))\r");
    a.awaitOutput("from-b-3", WAIT);
    b.close();
    a.type("exit 4\r");
    assertThat(a.awaitControl("exit", WAIT).path("exit_code").asInt()).isEqualTo(4);
  }

  @Test
  void aSessionShouldTakeCwdEnvAndATimeoutAsAnyExec() throws Exception {
    var id = api.createSandbox();
    var tty =
        open(
            id,
            "?cwd=/tmp&env=GREETING=hi%20there&timeout_seconds=2"
                + "&command=sh&command=-c&command=pwd%3B%20echo%20%24GREETING%3B%20exec%20sleep%20100");
    var execId = tty.execId();
    tty.awaitOutput("/tmp\r\nhi there\r\n", WAIT);
    var exit = tty.awaitControl("exit", WAIT);
    assertThat(exit.path("status").asString()).isEqualTo("timed_out");
    assertThat(api.get("/sandboxes/" + id + "/execs/" + execId).json().path("command").toString())
        .contains("sleep 100");
  }

  @Test
  void aCanceledSessionShouldSayCanceledAndClose() throws Exception {
    var id = api.createSandbox();
    var tty = open(id, "?command=sleep&command=1000");
    var execId = tty.execId();
    var canceled = api.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", "");
    assertThat(canceled.status()).isEqualTo(200);
    assertThat(tty.awaitControl("exit", WAIT).path("status").asString()).isEqualTo("canceled");
    assertThat(tty.awaitClose(WAIT)).isEqualTo(1000);
  }

  @Test
  void aSessionNobodyComesBackToShouldEndAfterTheGrace() throws Exception {
    var id = api.createSandbox();
    var tty = open(id, "");
    var execId = tty.execId();
    tty.type("echo here-$((1+1))\r").awaitOutput("here-2", WAIT);
    tty.drop();
    var path = "/sandboxes/" + id + "/execs/" + execId;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (api.get(path).json().path("status").asString().equals("running")) {
      assertThat(System.nanoTime()).as("still running 15 s after the drop").isLessThan(deadline);
      Thread.sleep(100); // polling the API, as a client would
    }
    var ended = api.get(path).json();
    assertThat(ended.path("status").asString()).isEqualTo("canceled");
    assertThat(ended.path("reason").asString()).isEqualTo("detached");
    assertThat(api.get("/sandboxes/" + id + "/tty?exec_id=" + execId).status()).isEqualTo(409);
  }

  @Test
  void sbxShellWithAPipedStdinShouldRunItAndExitWithTheShellsCode() {
    var id = api.createSandbox();
    var run =
        new Cli(api)
            .runWithStdin(
                "echo piped-$((1+1))\nexit 3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "shell",
                "-id",
                id);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.out()).contains("piped-2");
  }

  @Test
  void sbxShellThatCannotOpenASessionShouldSayWhyInOneLine() {
    var run = new Cli(api).run("shell", "-id", "sbx-nope");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(255);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("sbx-nope");
    var ended =
        new Cli(api).run("shell", "-id", api.createSandbox(), "-attach", "0123456789abcdef");
    assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(255);
    assertThat(ended.err()).contains("0123456789abcdef");
  }

  @Test
  void handshakesThatCannotOpenASessionShouldBeProblems() {
    var id = api.createSandbox();
    assertThat(api.get("/sandboxes/sbx-nope/tty").status()).isEqualTo(404);
    var badSize = api.get("/sandboxes/" + id + "/tty?cols=0&rows=10");
    assertThat(badSize.status()).isEqualTo(400);
    assertThat(badSize.text("detail")).contains("cols");
    assertThat(api.get("/sandboxes/" + id + "/tty?cols=80").status()).isEqualTo(400);
    assertThat(api.get("/sandboxes/" + id + "/tty?exec_id=0123456789abcdef").status())
        .isEqualTo(404);
  }
}
