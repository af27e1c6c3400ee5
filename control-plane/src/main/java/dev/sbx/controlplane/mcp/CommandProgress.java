package dev.sbx.controlplane.mcp;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.exec.ExecView;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Progress of a run_command that takes a while, for a client that sent a progress token: every
 * {@link #interval()}, the seconds it has run (of its timeout) and the last line it printed.
 */
@Component
class CommandProgress {

  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final int TAIL_BYTES = 4096;
  private static final int MESSAGE_CHARS = 200;

  private final ExecService execs;

  CommandProgress(ExecService execs) {
    this.execs = execs;
  }

  Duration interval() {
    return INTERVAL;
  }

  Reporter reporter(SandboxTool.Call call, ExecView exec, int timeoutSeconds) {
    return new Reporter(call, exec, timeoutSeconds);
  }

  /** Sends one exec's progress notifications, when its client asked for them. */
  final class Reporter {
    private final SandboxTool.Call call;
    private final ExecView exec;
    private final int timeoutSeconds;
    private final long startedNanos = System.nanoTime();

    private Reporter(SandboxTool.Call call, ExecView exec, int timeoutSeconds) {
      this.call = call;
      this.exec = exec;
      this.timeoutSeconds = timeoutSeconds;
    }

    void report() {
      var token = call.progressToken();
      if (token == null) {
        return;
      }
      // Not rounded: progress must grow with every notification.
      double seconds = (System.nanoTime() - startedNanos) / 1e9;
      var message = "running for " + (long) seconds + " s";
      var line = lastLine();
      if (!line.isEmpty()) {
        message += ": " + line;
      }
      call.exchange()
          .progressNotification(
              new ProgressNotification(token, seconds, (double) timeoutSeconds, message));
    }

    /** The last line of stdout, else of stderr; empty when neither has one (yet). */
    private String lastLine() {
      for (var stream : new String[] {"stdout", "stderr"}) {
        try {
          long end = execs.outputSlice(exec.sandboxId(), exec.execId(), stream, 0, 0).end();
          long from = Math.max(0, end - TAIL_BYTES);
          var tail = execs.outputSlice(exec.sandboxId(), exec.execId(), stream, from, TAIL_BYTES);
          var line = OutputText.lastLine(tail.bytes(), MESSAGE_CHARS);
          if (!line.isEmpty()) {
            return line;
          }
        } catch (ErrorResponseException e) {
          // dropped or gone meanwhile: progress goes on without a line
        }
      }
      return "";
    }
  }
}
