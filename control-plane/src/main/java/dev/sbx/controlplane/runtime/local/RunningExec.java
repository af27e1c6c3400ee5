package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** A command running in a local sandbox: its files in the exec folder and its listener. */
final class RunningExec {

  private static final String[] SUFFIXES = {".req", ".in", ".out", ".err"};

  private final String execId;
  private final String cwd;
  private final Path folder;
  private final ExecListener listener;
  private final OutputTailer stdout;
  private final OutputTailer stderr;
  private final long oomKillsAtStart;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final AtomicBoolean retryPending = new AtomicBoolean();
  private @Nullable ExecOutcome outcome; // guarded by this; set once the command ended
  private final @Nullable FileChannel terminalInput; // the .in FIFO of a command on a terminal
  private boolean completed; // guarded by this

  private RunningExec(
      String execId,
      String cwd,
      Path folder,
      ExecListener listener,
      OutputTailer stdout,
      OutputTailer stderr,
      long oomKillsAtStart,
      @Nullable FileChannel terminalInput) {
    this.oomKillsAtStart = oomKillsAtStart;
    this.terminalInput = terminalInput;
    this.execId = execId;
    this.cwd = cwd;
    this.folder = folder;
    this.listener = listener;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Writes the request sbx-init reads, and makes the files it writes the output to. The exec folder
   * is the sandbox's to write, so each file is created new (a name the sandbox made first, a
   * symlink to a host file say, makes the exec fail instead) and the output is read through the
   * descriptor opened at creation, whatever the sandbox does to the names later.
   *
   * @param owner who the output files must belong to so that sbx-init can write them; null when
   *     that is us
   */
  static RunningExec create(
      ExecSpec spec,
      Path folder,
      @Nullable HostUser owner,
      long oomKillsAtStart,
      ExecListener listener)
      throws IOException {
    var execId = spec.execId();
    OutputTailer stdout = null;
    FileChannel input = null;
    try {
      writeNew(folder.resolve(execId + ".req"), ExecRequestFile.encode(spec));
      if (spec.stdin() != null) {
        writeNew(folder.resolve(execId + ".in"), spec.stdin());
      }
      if (spec.tty() != null) {
        // Typed bytes: held open for writing for the whole session, so every client that
        // attaches types into the same pipe, and sbx-init never sees it end.
        input = PipedExec.fifo(folder.resolve(execId + ".in"), owner);
      }
      stdout = OutputTailer.create(folder.resolve(execId + ".out"), OutputStreamKind.STDOUT, owner);
      var stderr =
          OutputTailer.create(folder.resolve(execId + ".err"), OutputStreamKind.STDERR, owner);
      return new RunningExec(
          execId, spec.cwd(), folder, listener, stdout, stderr, oomKillsAtStart, input);
    } catch (IOException | RuntimeException e) {
      if (stdout != null) {
        stdout.close();
      }
      if (input != null) {
        input.close();
      }
      for (var suffix : SUFFIXES) {
        Files.deleteIfExists(folder.resolve(execId + suffix));
      }
      throw e;
    }
  }

  private static void writeNew(Path file, byte[] content) throws IOException {
    Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  String execId() {
    return execId;
  }

  /** Its working directory in the sandbox, as asked. */
  String cwd() {
    return cwd;
  }

  /** The sandbox's OOM kill count when this command started. */
  long oomKillsAtStart() {
    return oomKillsAtStart;
  }

  Path file(String suffix) {
    return folder.resolve(execId + suffix);
  }

  /** Completes when sbx-init has started the command, exceptionally when it could not. */
  CompletableFuture<Void> started() {
    return started;
  }

  /**
   * Takes the right to report this exec's end; the first caller gets it. Whoever fails to start an
   * exec takes it so that its listener hears nothing of an exec that never ran.
   */
  boolean claimFinish() {
    return finished.compareAndSet(false, true);
  }

  /**
   * Types bytes into a command on a terminal; blocks while its pipe is full (sbx-init passes no
   * more than the terminal takes).
   *
   * @throws IOException when the command has ended, or has no terminal
   */
  void type(byte[] data, int offset, int length) throws IOException {
    var input = terminalInput;
    if (input == null) {
      throw new IOException("exec " + execId + " has no terminal");
    }
    var buffer = ByteBuffer.wrap(data, offset, length);
    synchronized (input) { // one client's keystrokes are not cut into another's
      while (buffer.hasRemaining()) {
        input.write(buffer);
      }
    }
  }

  /** New output was written to one of the files. */
  void pump(String fileName) {
    if (fileName.endsWith(".out")) {
      held(!stdout.pump(listener));
    } else if (fileName.endsWith(".err")) {
      held(!stderr.pump(listener));
    }
  }

  void pumpAll() {
    held(!stdout.pump(listener) | !stderr.pump(listener));
  }

  /**
   * Delivers the remaining output, then the outcome; only the first call counts. While the listener
   * holds output the rest is delivered later, from the pacer's thread, and the outcome after it; a
   * lost exec's rest is read at once, as nobody should wait for a sandbox that is gone.
   */
  void finish(ExecOutcome outcome) {
    // Claimed before waking whoever waits for the start, so that it finds the end taken.
    boolean mine = claimFinish();
    started.completeExceptionally(new IllegalStateException("ended before it started"));
    if (!mine) {
      return;
    }
    synchronized (this) {
      this.outcome = outcome;
    }
    complete();
  }

  private void complete() {
    ExecOutcome ending;
    synchronized (this) {
      ending = outcome;
      if (ending == null || completed) {
        return;
      }
      boolean paced = !ending.lost();
      // Both, even when stdout is held: stderr may have room.
      if (!stdout.finish(listener, paced) | !stderr.finish(listener, paced)) {
        OutputPacer.retrySoon(this::complete);
        return;
      }
      completed = true;
    }
    closeTerminalInput();
    if (!ExecOutcome.CONTROL_PLANE_STOPPED.equals(ending.reason())) {
      deleteFiles(); // else kept, so the next control plane can tell this exec was lost
    }
    listener.finished(ending);
  }

  private void held(boolean held) {
    if (held && retryPending.compareAndSet(false, true)) {
      OutputPacer.retrySoon(
          () -> {
            retryPending.set(false);
            pumpAll();
          });
    }
  }

  private void closeTerminalInput() {
    if (terminalInput != null) {
      try {
        terminalInput.close();
      } catch (IOException e) {
        // closing a pipe we only wrote to: nothing was lost
      }
    }
  }

  /** Closes and removes the files of an exec that did not start. */
  void abandon() {
    closeTerminalInput();
    stdout.close();
    stderr.close();
    deleteFiles();
  }

  void deleteFiles() {
    for (var suffix : SUFFIXES) {
      try {
        Files.deleteIfExists(file(suffix));
      } catch (IOException e) {
        // The folder is cleared when the sandbox starts again or is deleted.
      }
    }
  }
}
