package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One exec as the control plane follows it: turns what the runtime reports into numbered events in
 * the sandbox's log and, for a sync exec, also keeps the output for the response.
 */
final class ExecRun implements ExecListener {

  private final String sandboxId;
  private final String execId;
  private final EventLog log;
  private final @Nullable StringBuilder stdout;
  private final @Nullable StringBuilder stderr;
  private final Utf8Chunks stdoutText = new Utf8Chunks();
  private final Utf8Chunks stderrText = new Utf8Chunks();
  private final CompletableFuture<ExecOutcome> outcome = new CompletableFuture<>();
  private long seq; // guarded by this

  ExecRun(String sandboxId, String execId, EventLog log, boolean keepOutput) {
    this.sandboxId = sandboxId;
    this.execId = execId;
    this.log = log;
    this.stdout = keepOutput ? new StringBuilder() : null;
    this.stderr = keepOutput ? new StringBuilder() : null;
  }

  void started() {
    publish(ExecEvent.START, null, null, null, null);
  }

  @Override
  public void output(OutputStreamKind stream, byte[] data, int length) {
    var text = decoder(stream).decode(data, length);
    if (!text.isEmpty()) {
      emit(stream, text);
    }
  }

  @Override
  public void finished(ExecOutcome result) {
    for (var stream : OutputStreamKind.values()) {
      var rest = decoder(stream).finish();
      if (!rest.isEmpty()) {
        emit(stream, rest);
      }
    }
    publish(ExecEvent.EXIT, null, null, result.exitCode(), result.reason());
    outcome.complete(result);
  }

  CompletableFuture<ExecOutcome> outcome() {
    return outcome;
  }

  String stdout() {
    return stdout == null ? "" : stdout.toString();
  }

  String stderr() {
    return stderr == null ? "" : stderr.toString();
  }

  private Utf8Chunks decoder(OutputStreamKind stream) {
    return stream == OutputStreamKind.STDOUT ? stdoutText : stderrText;
  }

  private synchronized void emit(OutputStreamKind stream, String text) {
    var kept = stream == OutputStreamKind.STDOUT ? stdout : stderr;
    if (kept != null) {
      kept.append(text);
    }
    publish(ExecEvent.OUTPUT, stream.wireName(), text, null, null);
  }

  // Numbering and appending under one lock keeps seq order and log order the same.
  private synchronized void publish(
      String type,
      @Nullable String stream,
      @Nullable String data,
      @Nullable Integer exitCode,
      @Nullable String reason) {
    log.append(
        new ExecEvent(
            sandboxId, execId, ++seq, type, stream, data, exitCode, reason, Instant.now()));
  }
}
