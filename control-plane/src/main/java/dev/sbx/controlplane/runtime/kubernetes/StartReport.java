package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.Escaped;
import dev.sbx.controlplane.runtime.MissingWorkingDirectoryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The exec wrapper's start report: the first line it writes on stderr ({@link ExecScripts#STARTED},
 * or {@link ExecScripts#MISSING_CWD}), which is not the command's output. Read from the start of
 * the stream that carries it, it settles the exec's start.
 */
final class StartReport {

  /** The wrapper's line is a few bytes; more is not the wrapper's report. */
  private static final int REPORT_MAX = 256;

  private final String cwd;
  private final CompletableFuture<Void> started;
  private @Nullable ByteArrayOutputStream line = new ByteArrayOutputStream();

  /**
   * @param started completed when the report says the command started, exceptionally when it says
   *     it could not
   */
  StartReport(String cwd, CompletableFuture<Void> started) {
    this.cwd = cwd;
    this.started = started;
  }

  /**
   * Takes the report from these bytes, the next ones of the stream: returns where the command's
   * output starts among them ({@code length} while the line is not complete, 0 once it was read).
   */
  int consume(byte[] buffer, int length) {
    var line = this.line;
    if (line == null) {
      return 0;
    }
    for (int i = 0; i < length; i++) {
      if (buffer[i] == '\n') {
        line.write(buffer, 0, Math.min(i, REPORT_MAX + 1 - line.size()));
        report(line.toByteArray());
        return i + 1;
      }
    }
    line.write(buffer, 0, Math.min(length, REPORT_MAX + 1 - line.size()));
    if (line.size() > REPORT_MAX) {
      // The image's own sh printed something else: whatever follows is the command's output.
      report(line.toByteArray());
    }
    return length;
  }

  private void report(byte[] bytes) {
    line = null;
    int length = bytes.length;
    // On a terminal, its output processing (onlcr) ends the line with CR LF.
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    var report = new String(bytes, 0, length, StandardCharsets.UTF_8);
    if (ExecScripts.STARTED.equals(report)) {
      started.complete(null);
    } else if (ExecScripts.MISSING_CWD.equals(report)) {
      started.completeExceptionally(new MissingWorkingDirectoryException(cwd));
    } else {
      // The image's sh wrote it, so it is the sandbox's: bounded and escaped, as anything logged.
      started.completeExceptionally(
          new IOException("the exec wrapper did not run: " + Escaped.of(bytes, 0, bytes.length)));
    }
  }
}
