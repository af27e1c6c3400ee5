package dev.sbx.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.output.Printer;
import dev.sbx.cli.testing.FakeControlPlane;
import dev.sbx.cli.testing.ServerWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A session on a terminal window, as {@code sbx shell} runs it there, against a fake {@code /tty}.
 */
class ShellSessionTest {

  private static final String STARTED = "{\"type\":\"started\",\"exec_id\":\"e1\"}";
  private static final String EXIT = "{\"type\":\"exit\",\"exit_code\":0,\"status\":\"completed\"}";

  /** A window whose size the test sets, and whose changes it signals as SIGWINCH would. */
  private static final class FakeWindow implements WindowSize {
    private volatile Size size;
    private volatile Runnable changed;
    private final CompletableFuture<Void> following = new CompletableFuture<>();

    FakeWindow(int cols, int rows) {
      size = new Size(cols, rows);
    }

    @Override
    public Size current() {
      return size;
    }

    @Override
    public void follow(Runnable changed) {
      this.changed = changed;
      following.complete(null);
    }

    void resize(int cols, int rows) throws Exception {
      size = new Size(cols, rows);
      following.get(5, TimeUnit.SECONDS);
      changed.run();
    }
  }

  private static ShellSession session(
      FakeControlPlane plane, WindowSize window, PipedInputStream in) throws Exception {
    return new ShellSession(
        new ControlPlaneClient(plane.url(), null),
        "demo",
        window,
        in,
        new ByteArrayOutputStream(),
        new Printer(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
        Backoff.system());
  }

  @Test
  void runShouldSendTheWindowsSizeAtTheStartAndAResizeWhenItChanges() throws Exception {
    var window = new FakeWindow(100, 30);
    var handshake = new CompletableFuture<String>();
    var resize = new CompletableFuture<String>();
    try (var plane = FakeControlPlane.start();
        var keyboard = new PipedOutputStream()) {
      plane.stream(
          ws -> {
            handshake.complete(ws.requestLine());
            ws.sendText(STARTED);
            var frame = ws.readFrame();
            assertThat(frame.opcode()).isEqualTo(ServerWebSocket.TEXT);
            resize.complete(frame.text());
            ws.sendText(EXIT);
            ws.sendClose(1000, "");
          });
      var session = session(plane, window, new PipedInputStream(keyboard));
      var exit = CompletableFuture.supplyAsync(() -> session.run(null, "command=top"));

      assertThat(handshake.get(5, TimeUnit.SECONDS))
          .isEqualTo("GET /sandboxes/demo/tty?cols=100&rows=30&command=top HTTP/1.1");
      window.resize(120, 40);
      assertThat(resize.get(5, TimeUnit.SECONDS))
          .isEqualTo("{\"type\":\"resize\",\"cols\":120,\"rows\":40}");
      assertThat(exit.get(5, TimeUnit.SECONDS)).containsEntry("status", "completed");
    }
  }

  @Test
  void runShouldSendKeystrokesAsTheyComeAndNoCtrlDAtTheEndOfATerminal() throws Exception {
    var typed = new CompletableFuture<String>();
    try (var plane = FakeControlPlane.start();
        var keyboard = new PipedOutputStream()) {
      var in = new PipedInputStream(keyboard);
      plane.stream(
          ws -> {
            ws.sendText(STARTED);
            var frame = ws.readFrame();
            assertThat(frame.opcode()).isEqualTo(ServerWebSocket.BINARY);
            typed.complete(frame.text());
            ws.sendText(EXIT);
            ws.sendClose(1000, "");
          });
      var session = session(plane, new FakeWindow(80, 24), in);
      var exit = CompletableFuture.supplyAsync(() -> session.run(null, ""));

      keyboard.write(new byte[] {3}); // Ctrl-C: in raw mode a byte for the sandbox, not a signal
      keyboard.flush();

      assertThat(typed.get(5, TimeUnit.SECONDS)).isEqualTo("\u0003");
      assertThat(exit.get(5, TimeUnit.SECONDS)).containsEntry("exit_code", 0L);
    }
  }

  @Test
  void runWhenReconnectingShouldTellTheWindowsSizeThen() throws Exception {
    var window = new FakeWindow(80, 24);
    var connections = new AtomicInteger();
    var resumed = new CompletableFuture<String>();
    try (var plane = FakeControlPlane.start();
        var keyboard = new PipedOutputStream()) {
      plane.stream(
          ws -> {
            if (connections.incrementAndGet() == 1) {
              ws.sendText(STARTED);
              ws.sendBinary("12345".getBytes(StandardCharsets.UTF_8));
              window.size = new WindowSize.Size(132, 50); // changed while disconnected
              ws.drop();
              return;
            }
            resumed.complete(ws.requestLine());
            ws.sendText(STARTED);
            ws.sendText(EXIT);
            ws.sendClose(1000, "");
          });
      var session = session(plane, window, new PipedInputStream(keyboard));
      var exit = CompletableFuture.supplyAsync(() -> session.run(null, ""));

      assertThat(resumed.get(5, TimeUnit.SECONDS))
          .isEqualTo("GET /sandboxes/demo/tty?cols=132&rows=50&exec_id=e1&offset=5 HTTP/1.1");
      assertThat(exit.get(5, TimeUnit.SECONDS)).containsKey("exit_code");
    }
  }
}
