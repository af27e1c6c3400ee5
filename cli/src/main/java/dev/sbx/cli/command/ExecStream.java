package dev.sbx.cli.command;

import dev.sbx.cli.client.WebSocketClient;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Printer;
import java.io.IOException;
import java.util.Map;

/** Follows one exec's events on a sandbox's stream, printing them until the exit event. */
final class ExecStream {

  private static final String BROKEN = "stream closed before the command finished";

  private final WebSocketClient socket;
  private final Printer out;
  private final Printer err;
  private final boolean jsonLines;

  ExecStream(WebSocketClient socket, Printer out, Printer err, boolean jsonLines) {
    this.socket = socket;
    this.out = out;
    this.err = err;
    this.jsonLines = jsonLines;
  }

  /** Returns the exec's exit code; the stream carries every exec of the sandbox, so filter. */
  int follow(String execId) throws IOException {
    try {
      for (String message = socket.receive(); message != null; message = socket.receive()) {
        Map<String, Object> event = event(message);
        if (event == null || !execId.equals(event.get("exec_id"))) {
          continue;
        }
        Object type = event.get("type");
        if (jsonLines) {
          out.document(message);
        } else if ("output".equals(type)) {
          Printer target = "stderr".equals(event.get("stream")) ? err : out;
          target.raw(Json.text(event.get("data")));
        }
        if ("exit".equals(type)) {
          return exitCode(event.get("exit_code"));
        }
      }
    } catch (IOException e) {
      throw new IOException(BROKEN + ": " + e.getMessage(), e);
    }
    String reason = socket.closeReason();
    throw new IOException(reason.isEmpty() ? BROKEN : BROKEN + ": " + reason);
  }

  // The original server left exit_code out when it was 0; read a missing one the same way.
  static int exitCode(Object code) {
    return code instanceof Number ? ((Number) code).intValue() : 0;
  }

  private static Map<String, Object> event(String message) {
    try {
      return Json.object(message);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
