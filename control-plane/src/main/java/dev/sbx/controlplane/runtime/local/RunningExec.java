package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** A command running in a local sandbox: its files in the exec folder and its listener. */
final class RunningExec {

  private final String execId;
  private final Path folder;
  private final ExecListener listener;
  private final OutputTailer stdout;
  private final OutputTailer stderr;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final AtomicBoolean retryPending = new AtomicBoolean();
  private @Nullable ExecOutcome outcome; // guarded by this; set once the command ended
  private boolean completed; // guarded by this

  RunningExec(String execId, Path folder, ExecListener listener) {
    this.execId = execId;
    this.folder = folder;
    this.listener = listener;
    this.stdout = new OutputTailer(file(".out"), OutputStreamKind.STDOUT);
    this.stderr = new OutputTailer(file(".err"), OutputStreamKind.STDERR);
  }

  String execId() {
    return execId;
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
    started.completeExceptionally(new IllegalStateException("ended before it started"));
    if (!claimFinish()) {
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

  void deleteFiles() {
    for (var suffix : new String[] {".req", ".in", ".out", ".err"}) {
      try {
        Files.deleteIfExists(file(suffix));
      } catch (IOException e) {
        // The folder is cleared when the sandbox starts again or is deleted.
      }
    }
  }
}
