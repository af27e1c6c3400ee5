package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static dev.sbx.cli.testing.Cli.sbxWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.output.Json;
import dev.sbx.cli.testing.FakeControlPlane;
import dev.sbx.cli.testing.FakeWebSocketServer;
import dev.sbx.cli.testing.ServerWebSocket.ClientFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  private static String exit(String execId, int seq, int code, String status, String reason) {
    return event(
        execId,
        seq,
        "exit",
        ",\"exit_code\":" + code + ",\"status\":\"" + status + "\",\"reason\":\"" + reason + "\"");
  }

  /** Sends the events and answers the client's close. */
  private static FakeWebSocketServer.Script sends(String... events) {
    return ws -> {
      for (String event : events) {
        ws.sendText(event);
      }
      ws.awaitClientClose();
    };
  }

  private static final String DONE =
      "{\"exec_id\":\"e1\",\"sandbox_id\":\"sbx-demo\",\"status\":\"completed\",\"exit_code\":0,"
          + "\"stdout\":\"\",\"stderr\":\"\"}";

  private static FakeControlPlane started() throws Exception {
    return FakeControlPlane.start().respond("POST", EXEC, 202, STARTED);
  }

  @Test
  void execShouldWriteTheExactBytesOfBinaryFramesAndSkipOnesItHadAlready() throws Exception {
    var exec = "0123456789abcdef";
    try (var plane =
        FakeControlPlane.start()
            .respond("POST", EXEC, 202, "{\"exec_id\":\"" + exec + "\",\"status\":\"running\"}")) {
      plane.stream(
          ws -> {
            ws.sendText(event(exec, 1, "start", ""));
            ws.sendFrame(true, 0x2, binary(exec, 1, 2, 0, new byte[] {(byte) 0xff, 0, 'a'}));
            ws.sendFrame(true, 0x2, binary(exec, 2, 3, 0, new byte[] {'e', '\n'}));
            ws.sendFrame(true, 0x2, binary(exec, 1, 2, 0, new byte[] {'x'})); // a repeat
            ws.sendFrame(true, 0x2, binary(exec, 1, 4, 3, new byte[] {'\n'}));
            ws.sendText(exit(exec, 5, 0));
            ws.awaitClientClose();
          });

      var result = sbx(plane, "exec", "-id", "demo", "--", "true");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.outBytes()).containsExactly(0xff, 0, 'a', '\n');
      assertThat(result.err()).isEqualTo("e\n");
    }
  }

  /** A binary output frame as the control plane sends it with format=binary. */
  private static byte[] binary(String execId, int stream, long seq, long offset, byte[] data) {
    var frame = ByteBuffer.allocate(34 + data.length);
    frame.put((byte) 1).put((byte) stream).putLong(seq).putLong(offset);
    frame.put(execId.getBytes(StandardCharsets.US_ASCII)).put(data);
    return frame.array();
  }

  @Test
  void execShouldStreamOutputLiveInOrderAndExitWithTheCommandsCode() throws Exception {
    var handshake = new CompletableFuture<String>();
    var close = new CompletableFuture<ClientFrame>();
    try (var plane = started()) {
      plane.stream(
          ws -> {
            handshake.complete(ws.requestLine());
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
      assertThat(handshake.get(5, TimeUnit.SECONDS))
          .isEqualTo("GET /sandboxes/demo/stream?exec_id=e1&from_seq=1&format=binary HTTP/1.1");
      assertThat(close.get(5, TimeUnit.SECONDS).masked()).isTrue();
    }
  }

  @Test
  void execShouldIgnoreEventsOfOtherExecs() throws Exception {
    try (var plane = started()) {
      plane.stream(
          sends(
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
            sends(exit("e1", 1, 0)).run(ws);
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

  /** Sends seqs 1 to 3, breaks the connection with {@code breakOff}, then serves the rest. */
  private static FakeWebSocketServer.Script breaksAfterSeq3(
      List<String> fromSeqs, FakeWebSocketServer.Script breakOff) {
    return ws -> {
      String from = ws.query("from_seq");
      fromSeqs.add(from);
      if ("1".equals(from)) {
        ws.sendText(event("e1", 1, "start", ""));
        ws.sendText(output("e1", 2, "stdout", "one\\n"));
        ws.sendText(output("e1", 3, "stdout", "two\\n"));
        breakOff.run(ws);
      } else {
        sends(output("e1", 4, "stdout", "three\\n"), exit("e1", 5, 0)).run(ws);
      }
    };
  }

  @Test
  void execWhenStreamDropsShouldResumeFromTheNextSeqWithoutLossOrDuplicate() throws Exception {
    var fromSeqs = new CopyOnWriteArrayList<String>();
    try (var plane = started()) {
      plane.stream(breaksAfterSeq3(fromSeqs, ws -> ws.drop()));

      var result = sbx(plane, "exec", "-id", "demo", "--", "seq", "3");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("one\ntwo\nthree\n");
      assertThat(result.err()).isEmpty();
      assertThat(fromSeqs).containsExactly("1", "4");
    }
  }

  @Test
  void execWhenServerSaysTooSlowShouldResumeFromTheNextSeq() throws Exception {
    var fromSeqs = new CopyOnWriteArrayList<String>();
    try (var plane = started()) {
      plane.stream(
          breaksAfterSeq3(
              fromSeqs,
              ws -> {
                ws.sendClose(4008, "too slow; resume with from_seq=4");
                ws.readFrame();
              }));

      var result = sbx(plane, "exec", "-id", "demo", "--", "seq", "3");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("one\ntwo\nthree\n");
      assertThat(result.err()).isEmpty();
      assertThat(fromSeqs).containsExactly("1", "4");
    }
  }

  @Test
  void execWhenServerReplaysEventsAlreadyPrintedShouldPrintThemOnce() throws Exception {
    try (var plane = started()) {
      plane.stream(
          sends(
              output("e1", 1, "stdout", "one\\n"),
              output("e1", 1, "stdout", "one\\n"),
              output("e1", 2, "stdout", "two\\n"),
              exit("e1", 3, 0)));

      var result = sbx(plane, "exec", "-id", "demo", "true");

      assertThat(result.out()).isEqualTo("one\ntwo\n");
    }
  }

  @Test
  void execWhenOutputWasLostShouldSaySoOnStderrAndGoOn() throws Exception {
    try (var plane = started()) {
      plane.stream(
          sends(
              "{\"type\":\"gap\",\"exec_id\":\"e1\",\"from_seq\":1,\"to_seq\":41}",
              output("e1", 42, "stdout", "tail\\n"),
              exit("e1", 43, 0)));

      var result = sbx(plane, "exec", "-id", "demo", "true");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.interleaved())
          .isEqualTo("sbx: output lost: events 1-41 are no longer kept\ntail\n");
    }
  }

  @Test
  void execShouldWriteBase64OutputAsTheExactBytes() throws Exception {
    byte[] bytes = {(byte) 0xff, 0, (byte) 0xfe, 'a', '\n'};
    String data = Base64.getEncoder().encodeToString(bytes);
    try (var plane = started()) {
      plane.stream(
          sends(
              output("e1", 1, "stdout", "text "),
              event(
                  "e1",
                  2,
                  "output",
                  ",\"stream\":\"stdout\",\"encoding\":\"base64\",\"data\":\"" + data + "\""),
              exit("e1", 3, 0)));

      var result = sbx(plane, "exec", "-id", "demo", "--", "head", "-c", "5", "/dev/urandom");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      var expected = new ByteArrayOutputStream();
      expected.writeBytes("text ".getBytes(StandardCharsets.UTF_8));
      expected.writeBytes(bytes);
      assertThat(result.outBytes()).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void execWhenCommandTimedOutShouldSaySoAndExitWithItsCode() throws Exception {
    try (var plane = started()) {
      plane.stream(
          sends(
              output("e1", 1, "stdout", "working\\n"), exit("e1", 2, 143, "timed_out", "timeout")));

      var result = sbx(plane, "exec", "-id", "demo", "-timeout", "1", "--", "sleep", "60");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(143);
      assertThat(result.interleaved()).isEqualTo("working\nsbx: command timed out\n");
    }
  }

  @Test
  void execWhenASignalKilledTheCommandShouldSaySoAndExitWithItsCode() throws Exception {
    try (var plane = started()) {
      plane.stream(
          sends(
              event(
                  "e1",
                  1,
                  "exit",
                  ",\"exit_code\":137,\"status\":\"failed\",\"reason\":\"killed_by_signal\","
                      + "\"signal\":\"SIGKILL\"")));

      var result = sbx(plane, "exec", "-id", "demo", "--", "bash", "-c", "kill -9 $$");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(137);
      assertThat(result.err()).isEqualTo("sbx: command killed by SIGKILL\n");
    }
  }

  // Arranged as the test above, with another exit event: each test reads whole (the duplicates
  // tool reports the pair).
  @Test
  void execWhenTheMemoryLimitKilledTheCommandShouldSaySoAndExitWith137() throws Exception {
    try (var plane = started()) {
      plane.stream(
          sends(
              event(
                  "e1",
                  1,
                  "exit",
                  ",\"exit_code\":137,\"status\":\"failed\",\"reason\":\"oom_killed\"")));

      var result = sbx(plane, "exec", "-id", "demo", "--", "tail", "/dev/zero");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(137);
      assertThat(result.err())
          .isEqualTo("sbx: command killed: out of memory (the sandbox's mem_limit)\n");
    }
  }

  @Test
  void execWhenCommandWasCanceledShouldSaySoAndExitWithItsCode() throws Exception {
    try (var plane = started()) {
      plane.stream(sends(exit("e1", 1, 143, "canceled", "canceled")));

      var result = sbx(plane, "exec", "-id", "demo", "--", "sleep", "60");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(143);
      assertThat(result.err()).isEqualTo("sbx: command canceled\n");
    }
  }

  @Test
  void execWhenCommandWasLostShouldExitWith255() throws Exception {
    try (var plane = started()) {
      plane.stream(sends(exit("e1", 1, -1, "lost", "sandbox_deleted")));

      var result = sbx(plane, "exec", "-id", "demo", "--", "sleep", "60");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.err()).isEqualTo("error: the command was lost: sandbox_deleted\n");
    }
  }

  @Test
  void execWhenTheExecIsUnknownToTheStreamShouldExitWith255WithoutRetrying() throws Exception {
    try (var plane = started()) {
      plane.rejectStream(404, "Exec not found", "exec e1 is not known");

      var result = sbx(plane, "exec", "-id", "demo", "true");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.err()).isEqualTo("error: Exec not found: exec e1 is not known\n");
    }
  }

  @Test
  void execWhenSandboxIsUnknownShouldExitWith255NotTheCommandsCode() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("POST", EXEC, 404, "Sandbox not found", "sandbox sbx-demo does not exist")) {
      var result = sbx(plane, "exec", "-id", "demo", "true");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
      assertThat(result.err())
          .isEqualTo("error: Sandbox not found: sandbox sbx-demo does not exist\n");
    }
  }

  @Test
  void execWithStreamShouldPrintEachOfItsEventsAsAJsonLine() throws Exception {
    String start = event("e1", 1, "start", "");
    String out = output("e1", 2, "stdout", "hi\\n");
    String exit = exit("e1", 3, 7);
    try (var plane = started()) {
      plane.stream(sends(start, output("e2", 1, "stdout", "x"), out, exit));

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

  @ParameterizedTest
  @ValueSource(strings = {"-stream-raw", "-stream", "-sync", "-async"})
  void execShouldSendTimeoutEnvCwdAndStdinInEveryMode(String mode) throws Exception {
    byte[] stdin = {0, 1, 2, (byte) 0xff, (byte) 0x80, '\n'};
    try (var plane = FakeControlPlane.start().respond("POST", EXEC, 200, DONE)) {
      plane.stream(sends(exit("e1", 1, 0)));

      var result =
          sbxWithStdin(
              plane,
              new ByteArrayInputStream(stdin),
              "exec",
              "-id",
              "demo",
              mode,
              "-timeout",
              "30",
              "-env",
              "FOO=bar",
              "-env",
              "EQ=a=b",
              "-cwd",
              "/workspace/src",
              "-i",
              "--",
              "cat");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      var body = Json.object(plane.awaitRequest("POST", EXEC).body());
      assertThat(body)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "command", List.of("cat"),
                  "async", !mode.equals("-sync"),
                  "timeout_seconds", 30L,
                  "env", Map.of("FOO", "bar", "EQ", "a=b"),
                  "cwd", "/workspace/src",
                  "stdin_base64", Base64.getEncoder().encodeToString(stdin)));
      assertThat(Base64.getDecoder().decode((String) body.get("stdin_base64"))).isEqualTo(stdin);
    }
  }

  @Test
  void execWithLongStdinFlagShouldSendAllOfStdin() throws Exception {
    byte[] script = "echo one\necho two\n".getBytes(StandardCharsets.UTF_8);
    try (var plane = started()) {
      var result =
          sbxWithStdin(
              plane,
              new ByteArrayInputStream(script),
              "exec",
              "-id",
              "demo",
              "--stdin",
              "-async",
              "sh");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      var body = Json.object(plane.awaitRequest("POST", EXEC).body());
      assertThat(Base64.getDecoder().decode((String) body.get("stdin_base64"))).isEqualTo(script);
    }
  }

  @Test
  void execWithoutStdinFlagShouldNeitherReadStdinNorSendAny() throws Exception {
    var untouchable =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("sbx read its stdin without -i");
          }
        };
    try (var plane = started()) {
      plane.stream(sends(exit("e1", 1, 0)));

      var result = sbxWithStdin(plane, untouchable, "exec", "-id", "demo", "true");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(Json.object(plane.awaitRequest("POST", EXEC).body()))
          .containsOnlyKeys("command", "async");
    }
  }

  @Test
  void execWithEnvThatIsNotAPairShouldExitWith2() throws Exception {
    try (var plane = started()) {
      var result = sbx(plane, "exec", "-id", "demo", "-env", "NOEQUALS", "true");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).isEqualTo("error: invalid -env \"NOEQUALS\" (expected KEY=VALUE)\n");
      assertThat(plane.requests()).isEmpty();
    }
  }

  @Test
  void execWithTimeoutThatIsNotPositiveShouldExitWith2() throws Exception {
    try (var plane = started()) {
      var result = sbx(plane, "exec", "-id", "demo", "-timeout", "0", "true");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err())
          .isEqualTo("error: invalid -timeout 0 (expected a number of seconds > 0)\n");
      assertThat(plane.requests()).isEmpty();
    }
  }

  @Test
  void execSyncWhenCommandTimedOutShouldPrintItsOutputThenSaySo() throws Exception {
    String body =
        "{\"exec_id\":\"e1\",\"status\":\"timed_out\",\"reason\":\"timeout\",\"exit_code\":137,"
            + "\"stdout\":\"partial\\n\",\"stderr\":\"\"}";
    try (var plane = FakeControlPlane.start().respond("POST", EXEC, 200, body)) {
      var result = sbx(plane, "exec", "-id", "demo", "-sync", "-timeout", "5", "--", "sleep", "9");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(137);
      assertThat(result.interleaved()).isEqualTo("partial\nsbx: command timed out\n");
    }
  }

  @Test
  void execHelpShouldSayThatCtrlCCancelsTheCommand() {
    var result = sbx(Map.of(), "exec", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().replaceAll("\\s+", " "))
        .contains("Ctrl-C while the output streams (the default, -stream) cancels the command")
        .contains("Ctrl-C during -sync only stops sbx");
  }
}
