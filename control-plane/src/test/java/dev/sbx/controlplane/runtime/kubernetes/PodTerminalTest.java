package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.MissingWorkingDirectoryException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.TerminalSize;
import dev.sbx.controlplane.runtime.UnsupportedOptionException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Commands on a terminal in a pod, checked frame by frame as the API server receives them: a pod
 * exec with tty=true, stdin and stdout, the window size on channel 4 (first the initial one, as
 * kubectl sends it), what is typed on channel 0, Ctrl-C for INT, and the end from the Status.
 *
 * <p>The mock server's exec expectations cannot hold a socket open for input nor show the client's
 * frames as bytes, so the tty execs are served by {@link FakeTerminalExec} through a dispatcher in
 * front of the mock's own (which still plays the cluster); the server is made here rather than by
 * {@code @EnableKubernetesMockClient} for that.
 */
@ExtendWith(ApiCallRecorder.class)
class PodTerminalTest {

  static KubernetesMockServer server;
  static KubernetesClient client;
  private static final TtyExecs ttyExecs = new TtyExecs();

  private KubernetesRuntime runtime;

  @BeforeAll
  static void startServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    ttyExecs.cluster = new KubernetesMixedDispatcher(responses);
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, ttyExecs, false);
    server.init();
    client = server.createClient(new ApiCallRecorder());
  }

  @AfterAll
  static void stopServer() {
    client.close();
    MockCluster.destroy(server);
  }

  @BeforeEach
  void open() {
    runtime = TestRuntimes.open(Templates.config("SANDBOX_IDLE_TTL", "0"), client);
    ttyExecs.opened.clear();
    ttyExecs.firstOutput = FakeTerminalExec.STARTED;
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void aTerminalExecShouldAskForATtyWithStdinAndStdoutAndNoStderr() throws Exception {
    ready("sbx-tty-query");
    var spec = spec("t1", 80, 24);
    runtime.execTerminal("sbx-tty-query", spec, new KubernetesRuntimeTest.Recording());
    var exec = ttyExecs.next();
    var uri = URI.create(exec.request.getPath());
    assertThat(uri.getPath()).isEqualTo("/api/v1/namespaces/sbx-tty-query/pods/sandbox/exec");
    var query = query(uri);
    assertThat(query.get("tty")).containsExactly("true");
    assertThat(query.get("stdin")).containsExactly("true");
    assertThat(query.get("stdout")).containsExactly("true");
    assertThat(query).doesNotContainKey("stderr");
    assertThat(query.get("container")).containsExactly("sandbox");
    // The same wrapper as any exec (env, cwd, SBX_EXEC_ID for terminate), with a terminal for
    // stdin.
    assertThat(query.get("command")).isEqualTo(ExecScripts.wrapped(spec));
    assertThat(query.get("command"))
        .containsSequence("t1", "/workspace", "1", ExecScripts.TTY_STDIN, "TERM=xterm-256color");
    assertThat(exec.request.getHeader("sec-websocket-protocol")).isEqualTo("v4.channel.k8s.io");
  }

  @Test
  void theInitialSizeAndEachResizeShouldGoOutOnChannel4AsKubectlSendsThem() throws Exception {
    ready("sbx-tty-resize");
    var terminal =
        runtime.execTerminal(
            "sbx-tty-resize", spec("t2", 80, 24), new KubernetesRuntimeTest.Recording());
    var exec = ttyExecs.next();
    assertThat(text(exec.nextFrame())).isEqualTo("\u0004{\"Width\":80,\"Height\":24}");
    terminal.resize(new TerminalSize(132, 43));
    assertThat(text(exec.nextFrame())).isEqualTo("\u0004{\"Width\":132,\"Height\":43}");
  }

  @Test
  void typedBytesShouldArriveOnChannel0AsTyped() throws Exception {
    ready("sbx-tty-type");
    var terminal =
        runtime.execTerminal(
            "sbx-tty-type", spec("t3", 80, 24), new KubernetesRuntimeTest.Recording());
    var exec = ttyExecs.next();
    exec.nextFrame(); // the initial size
    var typed = "ls -l\r\u001b[A\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    terminal.write(typed, 0, typed.length);
    var frame = exec.nextFrame();
    assertThat(frame[0]).isEqualTo((byte) 0);
    assertThat(Arrays.copyOfRange(frame, 1, frame.length)).isEqualTo(typed);
  }

  @Test
  void aPasteLargerThanAFrameShouldArriveWholeAndInOrderOnChannel0() throws Exception {
    ready("sbx-tty-paste");
    var terminal =
        runtime.execTerminal(
            "sbx-tty-paste", spec("t4", 80, 24), new KubernetesRuntimeTest.Recording());
    var exec = ttyExecs.next();
    exec.nextFrame(); // the initial size
    var paste = new byte[1 << 20];
    new java.util.Random(18).nextBytes(paste);
    terminal.write(paste, 0, paste.length);
    var arrived = new ByteArrayOutputStream();
    while (arrived.size() < paste.length) {
      var frame = exec.nextFrame();
      assertThat(frame[0]).as("channel").isEqualTo((byte) 0);
      arrived.write(frame, 1, frame.length - 1);
    }
    assertThat(arrived.toByteArray()).isEqualTo(paste);
  }

  @Test
  void outputShouldReachTheListenerInOrderAndTheStatusShouldEndItWithTheExitCode()
      throws Exception {
    ready("sbx-tty-out");
    var recording = new KubernetesRuntimeTest.Recording();
    var terminal = runtime.execTerminal("sbx-tty-out", spec("t5", 80, 24), recording);
    var exec = ttyExecs.next();
    exec.send(1, "$ ");
    exec.send(1, "exit 5\r\n");
    exec.send(1, "logout\r\n");
    exec.exit(5);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(5));
    // The start report is the wrapper's, not the terminal's output.
    assertThat(recording.stdout()).isEqualTo("$ exit 5\r\nlogout\r\n");
    assertThat(recording.stderr()).isEmpty();
    assertThatThrownBy(() -> terminal.write(new byte[] {'x'}, 0, 1))
        .isInstanceOf(IOException.class);
  }

  @Test
  void anExitWithZeroShouldBeReportedAsZero() throws Exception {
    ready("sbx-tty-zero");
    var recording = new KubernetesRuntimeTest.Recording();
    runtime.execTerminal("sbx-tty-zero", spec("t6", 80, 24), recording);
    ttyExecs.next().exit(0);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(0));
  }

  @Test
  void aConnectionThatEndsWithoutAStatusShouldBeLostNotExited() throws Exception {
    ready("sbx-tty-drop");
    var recording = new KubernetesRuntimeTest.Recording();
    runtime.execTerminal("sbx-tty-drop", spec("t7", 80, 24), recording);
    var exec = ttyExecs.next();
    exec.send(1, "partial");
    exec.drop();
    var outcome = recording.outcome.get(10, TimeUnit.SECONDS);
    assertThat(outcome.lost()).as("%s", outcome).isTrue();
    assertThat(recording.stdout()).isEqualTo("partial");
  }

  @Test
  void signalIntQuitAndTstpShouldTypeTheirControlCharacters() throws Exception {
    ready("sbx-tty-signal");
    var terminal =
        runtime.execTerminal(
            "sbx-tty-signal", spec("t8", 80, 24), new KubernetesRuntimeTest.Recording());
    var exec = ttyExecs.next();
    exec.nextFrame(); // the initial size
    terminal.signal("INT");
    assertThat(exec.nextFrame()).containsExactly(0, 0x03);
    terminal.signal("QUIT");
    assertThat(exec.nextFrame()).containsExactly(0, 0x1c);
    terminal.signal("TSTP");
    assertThat(exec.nextFrame()).containsExactly(0, 0x1a);
  }

  @Test
  void aSignalNoControlCharacterSendsShouldBeRefusedAndNothingSent() throws Exception {
    ready("sbx-tty-refuse");
    var terminal =
        runtime.execTerminal(
            "sbx-tty-refuse", spec("t9", 80, 24), new KubernetesRuntimeTest.Recording());
    var exec = ttyExecs.next();
    exec.nextFrame(); // the initial size
    for (var name : List.of("TERM", "KILL", "HUP", "WINCH")) {
      assertThatThrownBy(() -> terminal.signal(name))
          .isInstanceOf(UnsupportedOptionException.class)
          .hasMessageContaining("kubernetes")
          .hasMessageContaining("no signal channel");
    }
    assertThat(exec.frameWithin(300)).as("a frame sent for a refused signal").isNull();
  }

  @Test
  void aMissingWorkingDirectoryShouldBeRefusedAsForAnyExec() throws Exception {
    ready("sbx-tty-cwd");
    ttyExecs.firstOutput = ExecScripts.MISSING_CWD + "\r\n";
    var recording = new KubernetesRuntimeTest.Recording();
    assertThatThrownBy(() -> runtime.execTerminal("sbx-tty-cwd", spec("t10", 80, 24), recording))
        .isInstanceOf(MissingWorkingDirectoryException.class);
    assertThat(recording.outcome).isNotDone();
  }

  @Test
  void terminateShouldKillTheTerminalsProcessesByItsExecIdAsAnyExecs() throws Exception {
    ready("sbx-tty-kill");
    var recording = new KubernetesRuntimeTest.Recording();
    runtime.execTerminal("sbx-tty-kill", spec("t11", 80, 24), recording);
    var exec = ttyExecs.next();
    var cluster = new MockCluster(server, client);
    cluster.expectScript(
        "sbx-tty-kill",
        ExecScripts.kill("t11", "TERM"),
        new OutputStreamMessage("2\n"),
        new StatusStreamMessage(0));
    // Served once only: a KILL round that did not reach the pod would leave the exec lost.
    cluster.expectScript(
        "sbx-tty-kill",
        ExecScripts.kill("t11", "KILL"),
        new OutputStreamMessage("0\n"),
        new StatusStreamMessage(0));
    runtime.terminate("sbx-tty-kill", "t11", Duration.ZERO);
    // Its processes killed, the wrapper ends and the API server says how.
    exec.exit(137);
    assertThat(recording.outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(137));
  }

  private static ExecSpec spec(String execId, int cols, int rows) {
    return new ExecSpec(
        execId,
        List.of("/bin/bash", "-l"),
        Map.of("TERM", "xterm-256color"),
        "/workspace",
        null,
        false,
        new TerminalSize(cols, rows));
  }

  private void ready(String id) {
    runtime.create(Templates.spec(id));
    new MockCluster(server, client).markReady(id);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.find(id).map(SandboxInfo::ready).orElse(false));
  }

  private static Map<String, List<String>> query(URI uri) {
    var params = new HashMap<String, List<String>>();
    for (var pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params
          .computeIfAbsent(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              name -> new ArrayList<>())
          .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  /** Serves pod execs with tty=true as a real API server would; all else is the mock cluster's. */
  private static final class TtyExecs extends Dispatcher {
    final BlockingQueue<FakeTerminalExec> opened = new LinkedBlockingQueue<>();
    volatile Dispatcher cluster;
    volatile String firstOutput = FakeTerminalExec.STARTED;

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      var path = request.getPath();
      if (path.contains("/pods/sandbox/exec?") && path.contains("&tty=true")) {
        var exec = new FakeTerminalExec(request, firstOutput);
        opened.add(exec);
        return exec.upgrade();
      }
      return cluster.dispatch(request);
    }

    FakeTerminalExec next() throws InterruptedException {
      var exec = opened.poll(10, TimeUnit.SECONDS);
      assertThat(exec).as("a tty exec within 10 s").isNotNull();
      return exec;
    }

    @Override
    public void shutdown() {
      cluster.shutdown();
    }
  }
}
