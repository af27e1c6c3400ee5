package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Printer;
import java.util.Map;

/** Turns a finished exec (exit event or sync result) into the exit code of {@code sbx exec}. */
final class ExecOutcome {

  private ExecOutcome() {}

  /**
   * The command's exit code, after a line on stderr when the command was stopped; throws when there
   * is no code to give, so that 255 cannot be mistaken for one.
   */
  static int exitCode(Map<String, Object> exec, Printer err) {
    String status = Json.text(exec.get("status"));
    int code = code(exec.get("exit_code"));
    switch (status) {
      case "timed_out" -> err.line("sbx: command timed out");
      case "canceled" -> err.line("sbx: command canceled");
      case "failed" -> {
        switch (Json.text(exec.get("reason"))) {
          case "killed_by_signal" -> {
            var signal = Json.text(exec.get("signal"));
            err.line("sbx: command killed by " + (signal.isEmpty() ? "a signal" : signal));
          }
          // It ran, and its sandbox's memory limit ended it: its code is 137, as for any SIGKILL.
          case "oom_killed" ->
              err.line("sbx: command killed: out of memory (the sandbox's mem_limit)");
          default -> throw new ExecFailedException("the command could not start: " + why(exec));
        }
      }
      default -> {
        if (code == -1 || "lost".equals(status)) {
          throw new ExecFailedException("the command was lost: " + why(exec));
        }
      }
    }
    return code < 0 ? ExitCodes.EXEC_FAILED : code;
  }

  // The original server left exit_code out when it was 0; read a missing one the same way.
  private static int code(Object code) {
    return code instanceof Number ? ((Number) code).intValue() : 0;
  }

  private static String why(Map<String, Object> exec) {
    String reason = Json.text(exec.get("reason"));
    return reason.isEmpty() ? Json.text(exec.get("status")) : reason;
  }
}
