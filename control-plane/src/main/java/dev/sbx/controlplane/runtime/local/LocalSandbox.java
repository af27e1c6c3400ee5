package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.SandboxInfo;
import java.io.IOException;
import java.nio.file.WatchKey;
import java.time.Instant;

/**
 * One local sandbox: its folder and the current run of its first process. Commands are started by
 * that process, so they share the sandbox's namespaces, files and background processes, as the
 * containers of one pod would.
 */
final class LocalSandbox {

  private final SandboxMetadata metadata;
  private final SandboxFolder folder;
  private final LocalSandboxes shared;
  private volatile SandboxInit init; // changed under this
  private WatchKey watchKey; // guarded by this
  private volatile String phase = "Pending";
  private volatile boolean deleted;

  LocalSandbox(SandboxMetadata metadata, SandboxFolder folder, LocalSandboxes shared) {
    this.metadata = metadata;
    this.folder = folder;
    this.shared = shared;
  }

  String id() {
    return metadata.id();
  }

  SandboxInfo info() {
    return new SandboxInfo(
        id(),
        "local",
        phase,
        "Running".equals(phase),
        metadata.createdAt(),
        folder.lastExec(),
        null,
        LaunchType.COLD);
  }

  /** Starts the sandbox's first process unless it runs already. */
  synchronized SandboxInit start() throws IOException {
    if (deleted) {
      throw new IOException("sandbox " + id() + " was deleted");
    }
    if (init != null && init.alive()) {
      return init;
    }
    phase = "Pending";
    try {
      if (watchKey == null) {
        watchKey = shared.watcher().watch(folder.execs(), this);
      }
      init = SandboxInit.start(shared, folder, metadata, this::initExited);
    } catch (IOException e) {
      phase = "Failed";
      throw e;
    }
    phase = "Running";
    return init;
  }

  /** Runs a command, first starting the sandbox again if its init has stopped. */
  void exec(ExecSpec spec, ExecListener listener) throws IOException {
    start().exec(spec, listener);
    folder.touchLastExec(Instant.now());
  }

  /** Ends one exec's processes, if the sandbox runs. */
  void terminate(String execId, java.time.Duration grace) {
    var current = currentInit();
    if (current != null) {
      current.terminate(execId, grace);
    }
  }

  void pump(String fileName) {
    var current = currentInit();
    if (current != null) {
      current.pump(fileName);
    }
  }

  void pumpAll() {
    var current = currentInit();
    if (current != null) {
      current.pumpAll();
    }
  }

  /** Kills every process of the sandbox and removes its folder. */
  void delete() throws IOException {
    stop(ExecOutcome.SANDBOX_DELETED);
    synchronized (this) {
      deleted = true;
      if (watchKey != null) {
        shared.watcher().unwatch(watchKey);
      }
    }
    folder.deleteTree();
  }

  /** Kills every process of the sandbox, keeping its files; the next exec starts it again. */
  void stop(String reason) {
    SandboxInit current;
    synchronized (this) {
      current = init;
      phase = "Stopped";
    }
    if (current != null) {
      current.kill(reason);
    }
  }

  // Not synchronized: it runs on the init's reader thread, which start() may be waiting for.
  private void initExited(SandboxInit which) {
    if (which == init) {
      phase = "Stopped";
    }
  }

  private SandboxInit currentInit() {
    return init;
  }
}
