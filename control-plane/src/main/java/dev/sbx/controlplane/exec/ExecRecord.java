package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.ExecOutcome;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** What the control plane knows about one exec; kept in the {@link ExecRegistry}. */
final class ExecRecord {

  static final String TIMEOUT = "timeout";
  static final String CANCELED = "canceled";
  static final String KILLED_BY_SIGNAL = "killed_by_signal";

  private final String sandboxId;
  private final String execId;
  private final List<String> command;
  private final Instant startedAt;
  private final @Nullable Integer timeoutSeconds;
  private final CompletableFuture<ExecRecord> done = new CompletableFuture<>();
  private volatile boolean terminal;
  private ExecStatus status = ExecStatus.RUNNING;
  private int exitCode = -1;
  private @Nullable String reason;
  private @Nullable Instant finishedAt;
  private @Nullable String stopRequested;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  ExecRecord(
      String sandboxId,
      String execId,
      List<String> command,
      Instant startedAt,
      @Nullable Integer timeoutSeconds) {
    this.sandboxId = sandboxId;
    this.execId = execId;
    this.command = command;
    this.startedAt = startedAt;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** A finished exec an earlier run of the control plane left a summary of. */
  static ExecRecord restored(String sandboxId, String execId, ExecSummary summary) {
    var record =
        new ExecRecord(
            sandboxId, execId, summary.command(), summary.startedAt(), summary.timeoutSeconds());
    var exit = summary.exit();
    synchronized (record) {
      record.status = exit.status();
      record.exitCode = exit.exitCode();
      record.reason = exit.reason();
      record.finishedAt = exit.time();
    }
    record.done.complete(record);
    return record;
  }

  /** Marks it as running on a terminal, before anyone sees it. */
  void markTerminal() {
    terminal = true;
  }

  boolean terminal() {
    return terminal;
  }

  String sandboxId() {
    return sandboxId;
  }

  String execId() {
    return execId;
  }

  /**
   * Asks for the exec to be stopped, for a timeout or a cancel.
   *
   * @return false when it already ended or a stop was asked for before
   */
  /**
   * Runs the action now, or, while a timeout or a cancel is stopping the exec, once every process
   * of it was signalled to the end: the exec's main process can die before its children, and an
   * exec must not be reported over while something of it still runs.
   */
  void whenStopped(Runnable action) {
    synchronized (this) {
      if (stopRequested == null) {
        action.run();
        return;
      }
    }
    stopped.thenRun(action);
  }

  /** Says that the stop requested earlier has done all it could. */
  void stopped() {
    stopped.complete(null);
  }

  synchronized boolean requestStop(String why) {
    if (status != ExecStatus.RUNNING || stopRequested != null) {
      return false;
    }
    stopRequested = why;
    return true;
  }

  /** Records how the runtime says it ended and returns the status it ends with. */
  ExecStatus finish(ExecOutcome outcome, Instant when) {
    synchronized (this) {
      if (status != ExecStatus.RUNNING) {
        return status;
      }
      exitCode = outcome.exitCode();
      finishedAt = when;
      if (outcome.lost()) {
        status = "start_failed".equals(outcome.reason()) ? ExecStatus.FAILED : ExecStatus.LOST;
        reason = outcome.reason();
      } else if (stopRequested != null) {
        // A cancel or timeout asked for it: whatever the kernel did on the way, that is why.
        status = TIMEOUT.equals(stopRequested) ? ExecStatus.TIMED_OUT : ExecStatus.CANCELED;
        reason = stopRequested;
      } else if (ExecOutcome.OOM_KILLED.equals(outcome.reason())) {
        status = ExecStatus.FAILED;
        reason = ExecOutcome.OOM_KILLED;
      } else if (Signals.name(exitCode) != null) {
        // Shells report a death by signal N as 128+N; a program that exits with such a code
        // itself cannot be told apart, and is rare enough to accept.
        status = ExecStatus.FAILED;
        reason = KILLED_BY_SIGNAL;
      } else {
        status = ExecStatus.COMPLETED;
      }
    }
    done.complete(this);
    return status;
  }

  CompletableFuture<ExecRecord> done() {
    return done;
  }

  synchronized boolean running() {
    return status == ExecStatus.RUNNING;
  }

  synchronized @Nullable Instant finishedAt() {
    return finishedAt;
  }

  synchronized @Nullable String reason() {
    return reason;
  }

  synchronized ExecView view() {
    return new ExecView(
        execId,
        sandboxId,
        command,
        status,
        status == ExecStatus.RUNNING ? null : exitCode,
        reason,
        startedAt,
        finishedAt,
        timeoutSeconds,
        KILLED_BY_SIGNAL.equals(reason) ? Signals.name(exitCode) : null,
        terminal ? Boolean.TRUE : null,
        null);
  }
}
