package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.output.Json;
import dev.sbx.cli.testing.FakeControlPlane;
import dev.sbx.cli.testing.FakeWebSocketServer;
import dev.sbx.cli.testing.ServerWebSocket.ClientFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecCommandTest {

  private static final String EXEC = "/sandboxes/demo/exec";
  private static final String STARTED =
      "{\"exec_id\":\"e1\",\"sandbox_id\":\"sbx-demo\",\"status\":\"running\"}";

  private static String event(String execId, int seq, String type, String fields) {
    return "{\"sandbox_id\":\"sbx-demo\",\"exec_id\":\""
        + execId
        + "\",\"seq\":"
        + seq
        + ",\"type\":\""
        + type
        + "\""
        + fields
        + ",\"time\":\"2026-11-26T21:50:03.123456789Z\"}";
  }

  private static String output(String execId, int seq, String stream, String jsonData) {
    return event(
        execId, seq, "output", ",\"stream\":\"" + stream + "\",\"data\":\"" + jsonData + "\"");
  }

  private static String exit(String execId, int seq, int code) {
    return event(execId, seq, "exit", ",\"exit_code\":" + code);
  }

  /** Once the exec has been started over HTTP, sends the events and answers the client's close. */
  private static FakeWebSocketServer.Script sends(FakeControlPlane plane, String... events) {
    return ws -> {
      plane.awaitRequest("POST", EXEC);
      for (String event : events) {
        ws.sendText(event);
      }
      ws.awaitClientClose();
    };
  }

  private static FakeControlPlane started() throws Exception {
    return FakeControlPlane.start().respond("POST", EXEC, 202, STARTED);
  }

  @Test
  void execShouldStreamOutputLiveInOrderAndExitWithTheCommandsCode() throws Exception {
    var handshake = new CompletableFuture<String>();
    var close = new CompletableFuture<ClientFrame>();
    try (var plane = started()) {
      plane.stream(
          ws -> {
            handshake.complete(ws.requestLine());
            plane.awaitRequest("POST", EXEC);
            ws.sendText(event("e1", 1, "start", ""));
            ws.sendText(output("e1", 2, "stdout", "out 1\\n"));
            ws.sendText(output("e1", 3, "stderr", "err 1\\n"));
            ws.sendText(output("e1", 4, "stdout", "out 2 \\u00e9\\n"));
            ws.sendText(exit("e1", 5, 3));
            close.complete(ws.awaitClientClose());
          });

      var result = sbx(plane, "exec", "-id", "demo", "--", "sh", "-c", "echo hi");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.out()).isEqualTo("out 1\nout 2 é\n");
      assertThat(result.err()).isEqualTo("err 1\n");
      assertThat(result.interleaved()).isEqualTo("out 1\nerr 1\nout 2 é\n");
      assertThat(Json.parse(plane.awaitRequest("POST", EXEC).body()))
          .isEqualTo(Map.of("command", List.of("sh", "-c", "echo hi"), "async", true));
      // Subscribed to the whole sandbox before the exec existed, so no exec_id in the URL.
      assertThat(handshake.get(5, TimeUnit.SECONDS))
          .isEqualTo("GET /sandboxes/demo/stream HTTP/1.1");
      assertThat(close.get(5, TimeUnit.SECONDS).masked()).isTrue();
    }
  }

  @Test
  void execShouldIgnoreEventsOfOtherExecs() throws Exception {
    try (var plane = started()) {
      plane.stream(
          sends(
              plane,
              output("e0", 7, "stdout", "old output\\n"),
              exit("e0", 8, 9),
              output("e1", 1, "stdout", "mine\\n"),
              output("e2", 1, "stderr", "theirs\\n"),
              exit("e1", 2, 0)));

      var result = sbx(plane, "exec", "-id", "demo", "-stream-raw", "true");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("mine\n");
      assertThat(result.err()).isEmpty();
    }
  }

  @Test
  void execShouldSendTheTokenOnTheHandshakeAndTheRequest() throws Exception {
    var authorization = new CompletableFuture<String>();
    try (var plane = started()) {
      plane.stream(
          ws -> {
            authorization.complete(ws.header("authorization"));
            sends(plane, exit("e1", 1, 0)).run(ws);
          });

      var result =
          sbx(
              Map.of("SBX_ADDR", plane.url(), "SBX_TOKEN", "s3cret"),
              "exec",
              "-id",
              "demo",
              "true");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(authorization.get(5, TimeUnit.SECONDS)).isEqualTo("Bearer s3cret");
      assertThat(plane.awaitRequest("POST", EXEC).headers())
          .containsEntry("authorization", "Bearer s3cret");
    }
  }

  @Test
  void execWhenStreamBreaksBeforeTheExitEventShouldExitWith255() throws Exception {
    try (var plane = started()) {
      plane.stream(
          ws -> {
            plane.awaitRequest("POST", EXEC);
            ws.sendText(output("e1", 1, "stdout", "partial\\n"));
            ws.drop();
          });

      var result = sbx(plane, "exec", "-id", "demo", "--", "sleep", "60");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.out()).isEqualTo("partial\n");
      assertThat(result.err()).isEqualTo("error: stream closed before the command finished\n");
    }
  }

  @Test
  void execWhenServerClosesTheStreamShouldShowItsReason() throws Exception {
    try (var plane = started()) {
      plane.stream(
          ws -> {
            plane.awaitRequest("POST", EXEC);
            ws.sendClose(1008, "too slow; resume from seq 1");
            ws.readFrame();
          });

      var result = sbx(plane, "exec", "-id", "demo", "true");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.err())
          .isEqualTo(
              "error: stream closed before the command finished: too slow; resume from seq 1\n");
    }
  }

  @Test
  void execWhenSandboxIsUnknownShouldExitWith255NotTheCommandsCode() throws Exception {
    try (var plane = started()) {
      plane.rejectStream(404, "Sandbox not found", "sandbox sbx-demo does not exist");

      var result = sbx(plane, "exec", "-id", "demo", "true");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.err())
          .isEqualTo("error: Sandbox not found: sandbox sbx-demo does not exist\n");
      assertThat(plane.requests()).isEmpty();
    }
  }

  @Test
  void execWithStreamShouldPrintEachOfItsEventsAsAJsonLine() throws Exception {
    String start = event("e1", 1, "start", "");
    String out = output("e1", 2, "stdout", "hi\\n");
    String exit = exit("e1", 3, 7);
    try (var plane = started()) {
      plane.stream(sends(plane, start, output("e2", 1, "stdout", "x"), out, exit));

      var result = sbx(plane, "exec", "-id", "demo", "-stream", "-cmd", "echo hi");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
      assertThat(result.out()).isEqualTo(start + "\n" + out + "\n" + exit + "\n");
    }
  }

  @Test
  void execSyncShouldPrintTheOutputAndExitWithTheCode() throws Exception {
    String body =
        "{\"exec_id\":\"e1\",\"sandbox_id\":\"sbx-demo\",\"status\":\"completed\",\"exit_code\":3,"
            + "\"stdout\":\"out\\n\",\"stderr\":\"err\\n\"}";
    try (var plane = FakeControlPlane.start().respond("POST", EXEC, 200, body)) {
      var result = sbx(plane, "exec", "-id", "demo", "-sync", "--", "ls", "-la");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.out()).isEqualTo("out\n");
      assertThat(result.err()).isEqualTo("err\n");
      assertThat(Json.parse(plane.awaitRequest("POST", EXEC).body()))
          .isEqualTo(Map.of("command", List.of("ls", "-la"), "async", false));
    }
  }

  @Test
  void execAsyncShouldPrintTheExecIdLine() throws Exception {
    try (var plane = started()) {
      var result = sbx(plane, "exec", "-id", "demo", "-async", "-cmd", " sleep \t 60 ");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("exec_id=e1 status=running\n");
      assertThat(Json.parse(plane.awaitRequest("POST", EXEC).body()))
          .isEqualTo(Map.of("command", List.of("sleep", "60"), "async", true));
    }
  }

  @Test
  void execShouldLeaveFlagsAfterTheFirstWordToTheCommand() throws Exception {
    try (var plane = started()) {
      var result = sbx(plane, "exec", "-id", "demo", "-async", "ls", "-la", "-id", "x");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(Json.parse(plane.awaitRequest("POST", EXEC).body()))
          .isEqualTo(Map.of("command", List.of("ls", "-la", "-id", "x"), "async", true));
    }
  }

  @Test
  void execWithoutACommandShouldExitWith2() throws Exception {
    try (var plane = started()) {
      var result = sbx(plane, "exec", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err())
          .isEqualTo("error: a command is required (sbx exec -id ID -- CMD...)\n");
      assertThat(plane.requests()).isEmpty();
    }
  }

  @Test
  void execWithoutIdShouldExitWith2() throws Exception {
    try (var plane = started()) {
      var result = sbx(plane, "exec", "--", "true");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).startsWith("error: Missing required option").hasLineCount(1);
    }
  }

  @Test
  void execWhenControlPlaneIsUnreachableShouldExitWith255() {
    var result = sbx(Map.of("SBX_ADDR", "http://127.0.0.1:1"), "exec", "-id", "demo", "true");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
    assertThat(result.err()).startsWith("error: cannot reach the control plane at ");
  }

  @Test
  void execWithTwoModesShouldExitWith2() {
    var result = sbx(Map.of(), "exec", "-id", "demo", "-async", "-sync", "true");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
  }
}
