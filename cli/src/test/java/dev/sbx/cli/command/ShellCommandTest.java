package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbxWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.Cli;
import dev.sbx.cli.testing.FakeControlPlane;
import dev.sbx.cli.testing.ServerWebSocket;
import dev.sbx.cli.testing.ServerWebSocket.ClientFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sbx shell} with stdin from a pipe, against a fake {@code /tty}. */
class ShellCommandTest {

  private static final String STARTED =
      "{\"type\":\"started\",\"exec_id\":\"e1\",\"sandbox_id\":\"sbx-demo\"}";

  private static String exit(int code, String status) {
    return "{\"type\":\"exit\",\"exit_code\":" + code + ",\"status\":\"" + status + "\"}";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(bytes(text));
  }

  /** The binary frames the client sends until the ^D that ends a piped stdin. */
  private static byte[] typed(ServerWebSocket ws) throws Exception {
    var typed = new ByteArrayOutputStream();
    for (ClientFrame frame = ws.readFrame(); frame != null; frame = ws.readFrame()) {
      assertThat(frame.opcode()).isEqualTo(ServerWebSocket.BINARY);
      assertThat(frame.masked()).isTrue();
      typed.write(frame.payload());
      if (frame.payload()[frame.payload().length - 1] == 4) {
        return typed.toByteArray();
      }
    }
    throw new AssertionError("no ^D; typed " + typed);
  }

  @Test
  void shellShouldPutTheCommandCwdEnvAndTimeoutInTheQuery() throws Exception {
    var handshake = new CompletableFuture<ServerWebSocket>();
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            handshake.complete(ws);
            ws.sendText(STARTED);
            ws.sendText(exit(0, "completed"));
            ws.sendClose(1000, "");
          });

      var result =
          sbxWithStdin(
              plane,
              stdin(""),
              "shell",
              "-id",
              "demo",
              "-token",
              "t0k",
              "-cwd",
              "/tmp/a b",
              "-env",
              "A=1 2",
              "-timeout",
              "30",
              "ls",
              "-la",
              "x&y");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      var ws = handshake.get(5, TimeUnit.SECONDS);
      assertThat(ws.requestLine())
          .isEqualTo(
              "GET /sandboxes/demo/tty?command=ls&command=-la&command=x%26y&cwd=%2Ftmp%2Fa%20b"
                  + "&env=A%3D1%202&timeout_seconds=30 HTTP/1.1");
      assertThat(ws.header("authorization")).isEqualTo("Bearer t0k");
    }
  }

  @Test
  void shellShouldTypeStdinThenCtrlDAndWriteTheOutputAsIsAndExitWithTheRemoteCode()
      throws Exception {
    var typed = new CompletableFuture<byte[]>();
    byte[] screen = bytes("\u001b[2J\u001b]0;title\u0007$ echo hi\r\nhi\r\n");
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            ws.sendText(STARTED);
            typed.complete(typed(ws));
            ws.sendBinary(screen);
            ws.sendText(exit(5, "completed"));
            ws.sendClose(1000, "");
          });

      var result = sbxWithStdin(plane, stdin("echo hi\nexit 5\n"), "shell", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
      assertThat(typed.get(5, TimeUnit.SECONDS)).isEqualTo(bytes("echo hi\nexit 5\n\u0004"));
      assertThat(result.outBytes()).isEqualTo(screen);
      assertThat(result.err()).isEmpty();
    }
  }

  @Test
  void shellWithoutACommandShouldAskForTheLoginShellAndNoSizeFromAPipe() throws Exception {
    var handshake = new CompletableFuture<ServerWebSocket>();
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            handshake.complete(ws);
            ws.sendText(STARTED);
            ws.sendText(exit(0, "completed"));
            ws.sendClose(1000, "");
          });

      sbxWithStdin(plane, stdin(""), "shell", "-id", "demo");

      assertThat(handshake.get(5, TimeUnit.SECONDS).requestLine())
          .isEqualTo("GET /sandboxes/demo/tty HTTP/1.1");
    }
  }

  @Test
  void shellWithAttachShouldAskForThatSessionAloneAndShowItsRecentOutput() throws Exception {
    var handshake = new CompletableFuture<ServerWebSocket>();
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            handshake.complete(ws);
            ws.sendText(STARTED);
            ws.sendBinary(bytes("recent screen"));
            ws.sendText(exit(0, "completed"));
            ws.sendClose(1000, "");
          });

      var result = sbxWithStdin(plane, stdin(""), "shell", "-id", "demo", "-attach", "e1");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("recent screen");
      assertThat(handshake.get(5, TimeUnit.SECONDS).requestLine())
          .isEqualTo("GET /sandboxes/demo/tty?exec_id=e1 HTTP/1.1");
    }
  }

  @Test
  void shellWithAttachAndACommandShouldBeAUsageError() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      var result =
          sbxWithStdin(plane, stdin(""), "shell", "-id", "demo", "-attach", "e1", "-cwd", "/");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).startsWith("error: -attach joins a running session");
    }
  }

  @Test
  void shellShouldLeaveTheCommandsOwnFlagsToIt() throws Exception {
    var handshake = new CompletableFuture<ServerWebSocket>();
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            handshake.complete(ws);
            ws.sendText(STARTED);
            ws.sendText(exit(0, "completed"));
            ws.sendClose(1000, "");
          });

      var result = sbxWithStdin(plane, stdin(""), "shell", "-id", "demo", "bash", "-l");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(handshake.get(5, TimeUnit.SECONDS).queries("command"))
          .containsExactly("bash", "-l");
    }
  }

  @Test
  void shellWhenTheConnectionDropsShouldReattachWhereTheOutputStoppedAndLoseNothing()
      throws Exception {
    var connections = new AtomicInteger();
    var resumed = new CompletableFuture<ServerWebSocket>();
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            if (connections.incrementAndGet() == 1) {
              ws.sendText(STARTED);
              ws.sendBinary(bytes("abc"));
              ws.drop();
              return;
            }
            resumed.complete(ws);
            ws.sendText(STARTED);
            ws.sendBinary(bytes("def"));
            ws.sendText(exit(3, "completed"));
            ws.sendClose(1000, "");
          });

      var result = sbxWithStdin(plane, stdin(""), "shell", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.out()).isEqualTo("abcdef");
      assertThat(resumed.get(5, TimeUnit.SECONDS).requestLine())
          .isEqualTo("GET /sandboxes/demo/tty?exec_id=e1&offset=3 HTTP/1.1");
    }
  }

  @Test
  void shellWhenTheSessionEndedWhileDisconnectedShouldShowTheRestAndExitWithItsCode()
      throws Exception {
    try (var plane = FakeControlPlane.start()) {
      plane
          .respond(
              "GET",
              "/sandboxes/demo/execs",
              200,
              "{\"execs\":[{\"exec_id\":\"e1\",\"status\":\"completed\",\"exit_code\":7}]}")
          .respond("GET", "/sandboxes/demo/execs/e1/output", 200, "text/plain", "def");
      plane.stream(
          ws -> {
            ws.sendText(STARTED);
            ws.sendBinary(bytes("abc"));
            plane.rejectStream(409, "Exec finished", "exec e1 has finished");
            ws.drop();
          });

      var result = sbxWithStdin(plane, stdin(""), "shell", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
      assertThat(result.out()).isEqualTo("abcdef");
      assertThat(plane.awaitRequest("GET", "/sandboxes/demo/execs/e1/output").query())
          .contains("offset=3");
    }
  }

  @Test
  void shellWhenTheSessionWasCanceledShouldSaySoAndExitWithItsCode() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            ws.sendText(STARTED);
            ws.sendText(exit(130, "canceled"));
            ws.sendClose(1000, "");
          });

      var result = sbxWithStdin(plane, stdin(""), "shell", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(130);
      assertThat(result.err()).isEqualTo("sbx: command canceled\n");
    }
  }

  @Test
  void shellWhenTheSessionCannotStartShouldSayWhyAndExit255() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            ws.sendText("{\"type\":\"error\",\"detail\":\"no such folder: /nope\"}");
            ws.sendClose(1008, "");
          });

      var result = sbxWithStdin(plane, stdin(""), "shell", "-id", "demo", "-cwd", "/nope");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.err())
          .isEqualTo("error: the terminal session did not start: no such folder: /nope\n");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "401, Unauthorized, missing or wrong bearer token",
    "404, Sandbox not found, sandbox sbx-demo does not exist",
    "501, Not implemented, this runtime has no terminals"
  })
  void shellWhenTheHandshakeIsRefusedShouldPrintOneLineAndExit255(
      int status, String title, String detail) throws Exception {
    try (var plane = FakeControlPlane.start()) {
      plane.rejectStream(status, title, detail);

      var result = sbxWithStdin(plane, stdin("ls\n"), "shell", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.err()).isEqualTo("error: " + title + ": " + detail + "\n");
      assertThat(result.out()).isEmpty();
    }
  }

  @Test
  void shellWhenTheControlPlaneIsDownShouldPrintOneLineAndExit255() throws Exception {
    String addr;
    try (var plane = FakeControlPlane.start()) {
      addr = plane.url();
    }

    var result = Cli.sbx(Map.of("SBX_ADDR", addr), "shell", "-id", "demo");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
    assertThat(result.err().lines()).hasSize(1).first().asString().startsWith("error: ");
  }
}
