package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One exec as the control plane follows it: turns what the runtime reports into numbered events in
 * the sandbox's log, keeps a sync exec's output for its answer, and records the end.
 */
final class ExecRun implements ExecListener {

  private final ExecRecord record;
  private final EventLog log;
  private final OutputDecoder stdoutDecoder = new OutputDecoder();
  private final OutputDecoder stderrDecoder = new OutputDecoder();
  private final @Nullable OutputCapture stdout;
  private final @Nullable OutputCapture stderr;
  private long seq; // guarded by this
  private final long[] emitted = new long[2]; // guarded by this: bytes per stream in events

  /**
   * @param captureLimit bytes of each stream to keep for a sync answer; 0 keeps nothing
   */
  ExecRun(ExecRecord record, EventLog log, long captureLimit) {
    this.record = record;
    this.log = log;
    this.stdout = captureLimit > 0 ? new OutputCapture(captureLimit) : null;
    this.stderr = captureLimit > 0 ? new OutputCapture(captureLimit) : null;
  }

  /**
   * Goes on after events an earlier run of the control plane published ({@code lastSeq}; 0: none),
   * so that its own are numbered after them.
   */
  synchronized void resumeAfter(long lastSeq) {
    seq = Math.max(seq, lastSeq);
  }

  /** Publishes the start event, unless output already did. */
  synchronized void started() {
    if (seq == 0) {
      log.append(ExecEvent.start(record.sandboxId(), record.execId(), ++seq));
    }
  }

  @Override
  public void output(OutputStreamKind stream, byte[] data, int length) {
    // Kept first, whole and exact, so that what the events carry is on disk before they are out.
    log.write(record.execId(), stream, data, length, -1);
    var capture = stream == OutputStreamKind.STDOUT ? stdout : stderr;
    if (capture != null) {
      capture.add(data, length);
    }
    var payload = decoder(stream).decode(data, length);
    if (payload != null) {
      emit(stream, payload);
    }
  }

  /**
   * An async exec's output waits in its file while everyone following it has a backlog: the heap
   * then holds a bounded amount per subscriber instead of all the output of a fast command. A sync
   * exec's is never held, as its answer must not wait for a subscriber.
   */
  @Override
  public boolean holdOutput() {
    return stdout == null && log.allBehind(record.execId());
  }

  @Override
  public void finished(ExecOutcome outcome) {
    for (var stream : OutputStreamKind.values()) {
      var rest = decoder(stream).finish();
      if (rest != null) {
        emit(stream, rest);
      }
    }
    var when = Instant.now();
    record.whenStopped(() -> end(outcome, when));
  }

  private synchronized void end(ExecOutcome outcome, Instant when) {
    started();
    var status = record.finish(outcome, when);
    var exit =
        ExecEvent.exit(
            record.sandboxId(),
            record.execId(),
            ++seq,
            outcome.exitCode(),
            status,
            record.reason(),
            record.view().signal());
    log.append(exit);
    log.keepSummary(record.view(), exit);
  }

  /** The output a sync exec answers with. */
  CapturedOutput captured() {
    return new CapturedOutput(
        text(stdout), encoding(stdout), text(stderr), encoding(stderr), truncated());
  }

  private @Nullable Boolean truncated() {
    return stdout != null && (stdout.truncated() || stderr.truncated()) ? Boolean.TRUE : null;
  }

  private static String text(@Nullable OutputCapture capture) {
    if (capture == null) {
      return "";
    }
    var text = capture.text();
    return text != null ? text : capture.base64();
  }

  private static @Nullable String encoding(@Nullable OutputCapture capture) {
    return capture != null && capture.text() == null ? "base64" : null;
  }

  private OutputDecoder decoder(OutputStreamKind stream) {
    return stream == OutputStreamKind.STDOUT ? stdoutDecoder : stderrDecoder;
  }

  // Numbering and appending under one lock keeps seq order and log order the same.
  private synchronized void emit(OutputStreamKind stream, OutputDecoder.Payload payload) {
    started();
    int index = stream.ordinal();
    var event =
        ExecEvent.output(
            record.sandboxId(),
            record.execId(),
            ++seq,
            stream,
            payload.data(),
            payload.base64(),
            emitted[index]);
    emitted[index] += payload.byteLength();
    log.index(event, payload.byteLength());
    log.append(event);
  }
}
