package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.Terminal;
import dev.sbx.controlplane.runtime.TerminalSize;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;

/**
 * A running exec on a terminal and the clients attached to it. Every client's input reaches the
 * terminal, and each follows its output on its own. When the last client goes, the session keeps
 * running for the detach grace, so a dropped connection can come back; after that it is ended.
 */
public final class TerminalSession {

  /**
   * What a client that attaches to a running session gets first, so that it can redraw the screen:
   * the last 64 KiB of output, a few full screens of a 200x50 terminal even with colours.
   */
  public static final long REPLAY_BYTES = 64 * 1024;

  private final ExecRecord record;
  private final EventLog log;
  private final Terminal terminal;
  private final TaskScheduler scheduler;
  private final Duration grace;
  private final Runnable abandon;
  private int attached; // guarded by this
  private @Nullable ScheduledFuture<?> ending; // guarded by this

  TerminalSession(
      ExecRecord record,
      EventLog log,
      Terminal terminal,
      TaskScheduler scheduler,
      Duration grace,
      Runnable abandon) {
    this.record = record;
    this.log = log;
    this.terminal = terminal;
    this.scheduler = scheduler;
    this.grace = grace;
    this.abandon = abandon;
  }

  public String execId() {
    return record.execId();
  }

  public String sandboxId() {
    return record.sandboxId();
  }

  public ExecView view() {
    return record.view();
  }

  /** Completes with the exec's final view once it has ended. */
  public CompletableFuture<ExecView> ended() {
    return record.done().thenApply(ExecRecord::view);
  }

  /** A client came: the session is not ended for want of one. */
  public synchronized void attach() {
    attached++;
    if (ending != null) {
      ending.cancel(false);
      ending = null;
    }
  }

  /** A client went; with none left, the session ends after the grace unless one comes back. */
  public synchronized void detach() {
    attached = Math.max(0, attached - 1);
    if (attached == 0 && ending == null && record.running()) {
      ending = scheduler.schedule(this::endIfAlone, Instant.now().plus(grace));
    }
  }

  private void endIfAlone() {
    synchronized (this) {
      if (attached > 0 || ending == null) {
        return;
      }
      ending = null;
    }
    abandon.run();
  }

  /** Types the bytes; blocks while the program does not read, as a terminal does. */
  public void type(byte[] data, int offset, int length) throws IOException {
    terminal.write(data, offset, length);
  }

  /**
   * @throws InvalidRequestException for a size no terminal has
   */
  public void resize(int cols, int rows) throws IOException {
    terminal.resize(size(cols, rows));
  }

  /**
   * @throws InvalidRequestException for a name not in {@link Terminal#SIGNALS}
   */
  public void signal(String name) throws IOException {
    var bare = name.startsWith("SIG") ? name.substring(3) : name;
    if (!Terminal.SIGNALS.contains(bare)) {
      throw new InvalidRequestException(
          "signal",
          "must be one of " + String.join(", ", Terminal.SIGNALS.stream().sorted().toList()));
    }
    terminal.signal(bare);
  }

  /** Where a client attaching now starts reading the output: the recent part of it. */
  public long recentOutputStart() {
    return RawOutput.recentStart(log, execId(), OutputStreamKind.STDOUT, REPLAY_BYTES);
  }

  /**
   * Writes the terminal's output from {@code offset} to {@code out} as it comes, until the exec has
   * ended and all of it was written.
   *
   * @throws OutputDroppedException when output from that offset is no longer kept
   */
  public void copyOutput(long offset, OutputStream out) throws IOException, InterruptedException {
    RawOutput.open(log, execId(), "stdout", offset).copyTo(out, true);
  }

  /**
   * @throws InvalidRequestException when either is outside 1 to {@link TerminalSize#MAX}
   */
  public static TerminalSize size(int cols, int rows) {
    if (cols < 1 || cols > TerminalSize.MAX) {
      throw new InvalidRequestException("cols", "must be 1 to " + TerminalSize.MAX);
    }
    if (rows < 1 || rows > TerminalSize.MAX) {
      throw new InvalidRequestException("rows", "must be 1 to " + TerminalSize.MAX);
    }
    return new TerminalSize(cols, rows);
  }
}
