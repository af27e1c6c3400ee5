package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A command running in a local sandbox: its files in the exec folder and its listener. */
final class RunningExec {

  private final String execId;
  private final Path folder;
  private final ExecListener listener;
  private final OutputTailer stdout;
  private final OutputTailer stderr;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Void> started = new CompletableFuture<>();

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
      stdout.pump(listener);
    } else if (fileName.endsWith(".err")) {
      stderr.pump(listener);
    }
  }

  void pumpAll() {
    stdout.pump(listener);
    stderr.pump(listener);
  }

  /** Delivers the remaining output, then the outcome; only the first call counts. */
  void finish(ExecOutcome outcome) {
    started.completeExceptionally(new IllegalStateException("ended before it started"));
    if (!claimFinish()) {
      return;
    }
    stdout.finish(listener);
    stderr.finish(listener);
    if (!ExecOutcome.CONTROL_PLANE_STOPPED.equals(outcome.reason())) {
      deleteFiles(); // else kept, so the next control plane can tell this exec was lost
    }
    listener.finished(outcome);
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
