package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Terminal;
import dev.sbx.cli.testing.FakeControlPlane;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What reaches the user's terminal, a pipe or a file when the command prints control characters.
 */
class ExecCommandTerminalTest {

  private static final String EXEC = "/sandboxes/demo/exec";
  private static final String STARTED = "{\"exec_id\":\"e1\",\"status\":\"running\"}";

  // Sets the window title, then clears the screen; the rest must arrive as it is.
  private static final String HOSTILE = "\u001b]0;pwned\u0007\u001b[2Jplain é 日本 😀\ttab\r\n";
  private static final String SHOWN = "\\u001b]0;pwned\\u0007\\u001b[2Jplain é 日本 😀\ttab\r\n";
  private static final String HOSTILE_JSON =
      "\\u001b]0;pwned\\u0007\\u001b[2Jplain é 日本 😀\\ttab\\r\\n";

  private static final Terminal BOTH = new Terminal(true, true);

  private static FakeControlPlane streaming(String outputFields) throws Exception {
    return FakeControlPlane.start().respond("POST", EXEC, 202, STARTED).stream(
        ws -> {
          ws.sendText("{\"exec_id\":\"e1\",\"seq\":1,\"type\":\"output\"," + outputFields + "}");
          ws.sendText("{\"exec_id\":\"e1\",\"seq\":2,\"type\":\"exit\",\"exit_code\":0}");
          ws.awaitClientClose();
        });
  }

  private static FakeControlPlane streamingText(String stream) throws Exception {
    return streaming("\"stream\":\"" + stream + "\",\"data\":\"" + HOSTILE_JSON + "\"");
  }

  private static FakeControlPlane syncResult() throws Exception {
    return FakeControlPlane.start()
        .respond(
            "POST",
            EXEC,
            200,
            "{\"exec_id\":\"e1\",\"status\":\"completed\",\"exit_code\":0,\"stdout\":\""
                + HOSTILE_JSON
                + "\",\"stderr\":\""
                + HOSTILE_JSON
                + "\"}");
  }

  @Test
  void execOnATerminalShouldShowControlSequencesEscapedAndTheRestAsIs() throws Exception {
    try (var plane = streamingText("stdout")) {
      var result = sbx(plane, BOTH, "exec", "-id", "demo", "--", "evil");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo(SHOWN);
    }
  }

  @Test
  void execOnATerminalShouldEscapeStderrToo() throws Exception {
    try (var plane = streamingText("stderr")) {
      var result = sbx(plane, BOTH, "exec", "-id", "demo", "--", "evil");

      assertThat(result.err()).as(result.toString()).isEqualTo(SHOWN);
    }
  }

  @Test
  void execShouldEscapeOnlyTheStreamThatIsATerminal() throws Exception {
    try (var plane = streamingText("stderr")) {
      var result = sbx(plane, new Terminal(true, false), "exec", "-id", "demo", "--", "evil");

      assertThat(result.err()).as(result.toString()).isEqualTo(HOSTILE);
    }
  }

  @Test
  void execToAPipeOrFileShouldWriteTheBytesUnchanged() throws Exception {
    try (var plane = streamingText("stdout")) {
      var result = sbx(plane, Terminal.NONE, "exec", "-id", "demo", "--", "evil");

      assertThat(result.outBytes()).isEqualTo(HOSTILE.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void execWithRawShouldWriteTheBytesUnchangedEvenOnATerminal() throws Exception {
    try (var plane = streamingText("stdout")) {
      var result = sbx(plane, BOTH, "exec", "-id", "demo", "-raw", "--", "evil");

      assertThat(result.outBytes()).isEqualTo(HOSTILE.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void execOnATerminalShouldEscapeControlsInOutputThatIsNotUtf8() throws Exception {
    byte[] bytes = {(byte) 0xFF, 0x1B, '[', '2', 'J', '\n'};
    String data = Base64.getEncoder().encodeToString(bytes);
    try (var plane =
        streaming("\"stream\":\"stdout\",\"encoding\":\"base64\",\"data\":\"" + data + "\"")) {
      var onTerminal = sbx(plane, BOTH, "exec", "-id", "demo", "--", "evil");
      var toFile = sbx(plane, Terminal.NONE, "exec", "-id", "demo", "--", "evil");

      assertThat(onTerminal.outBytes())
          .isEqualTo(new byte[] {(byte) 0xFF, '\\', 'u', '0', '0', '1', 'b', '[', '2', 'J', '\n'});
      assertThat(toFile.outBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void execSyncOnATerminalShouldShowControlSequencesEscaped() throws Exception {
    try (var plane = syncResult()) {
      var result = sbx(plane, BOTH, "exec", "-id", "demo", "-sync", "--", "evil");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo(SHOWN);
      assertThat(result.err()).isEqualTo(SHOWN);
    }
  }

  @Test
  void execSyncToAPipeOrWithRawShouldWriteTheBytesUnchanged() throws Exception {
    try (var plane = syncResult()) {
      var piped = sbx(plane, Terminal.NONE, "exec", "-id", "demo", "-sync", "--", "evil");
      var raw = sbx(plane, BOTH, "exec", "-id", "demo", "-sync", "-raw", "--", "evil");

      assertThat(piped.outBytes()).isEqualTo(HOSTILE.getBytes(StandardCharsets.UTF_8));
      assertThat(raw.outBytes()).isEqualTo(HOSTILE.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void execStreamJsonLinesOnATerminalShouldStayValidJson() throws Exception {
    try (var plane = streaming("\"stream\":\"stdout\",\"data\":\"csi \u009b2J\"")) {
      var result = sbx(plane, BOTH, "exec", "-id", "demo", "-stream", "--", "evil");

      String firstLine = result.out().lines().findFirst().orElseThrow();
      assertThat(firstLine).contains("csi \\u009b2J").doesNotContain("\u009b");
      assertThat(Json.object(firstLine)).containsEntry("data", "csi \u009b2J");
    }
  }
}
