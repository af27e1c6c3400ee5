package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sandbox's first process: bwrap running sbx-init, the pipe we send requests on, the
 * thread that reads its reports, and the commands it is running. When it ends, every command it was
 * running ends as lost.
 */
final class SandboxInit {

  private static final Logger logger = LoggerFactory.getLogger(SandboxInit.class);
  private static final long READY_TIMEOUT_SECONDS = 10;
  private static final long KILL_TIMEOUT_SECONDS = 5;
  private static final long START_TIMEOUT_SECONDS = 10;

  private final String sandboxId;
  private final SandboxFolder folder;
  private final Process process;
  private final OutputStream control;
  private final Map<String, RunningExec> running = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Thread reader;
  private final Consumer<SandboxInit> onUnexpectedExit;
  private volatile String lostReason = ExecOutcome.SANDBOX_STOPPED;
  private volatile boolean killed;

  private SandboxInit(
      String sandboxId,
      SandboxFolder folder,
      Process process,
      Consumer<SandboxInit> onUnexpectedExit) {
    this.sandboxId = sandboxId;
    this.folder = folder;
    this.process = process;
    this.control = process.getOutputStream();
    this.onUnexpectedExit = onUnexpectedExit;
    this.reader = new Thread(this::readReports, "sbx-init-" + sandboxId);
    reader.setDaemon(true);
  }

  /** Starts bwrap and waits until sbx-init takes requests. */
  static SandboxInit start(
      LocalSandboxes shared,
      SandboxFolder folder,
      SandboxMetadata metadata,
      Consumer<SandboxInit> onExit)
      throws IOException {
    folder.clearExecFiles();
    Files.write(folder.initLog(), new byte[0]);
    var builder = new ProcessBuilder(shared.command().build(folder, metadata.env()));
    builder.redirectError(ProcessBuilder.Redirect.appendTo(folder.initLog().toFile()));
    var init = new SandboxInit(metadata.id(), folder, shared.launcher().start(builder), onExit);
    init.reader.start();
    try {
      init.ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      init.kill(ExecOutcome.SANDBOX_STOPPED);
      throw new IOException("the sandbox did not start: " + folder.initLogTail());
    } catch (InterruptedException e) {
      init.kill(ExecOutcome.SANDBOX_STOPPED);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the sandbox", e);
    }
    return init;
  }

  boolean alive() {
    return !killed && process.isAlive();
  }

  /**
   * Starts a command and returns once it runs.
   *
   * @throws MissingDirectoryException when its working directory does not exist
   */
  void exec(ExecSpec spec, ExecListener listener) throws IOException {
    var exec = new RunningExec(spec.execId(), folder.execs(), listener);
    Files.write(exec.file(".req"), ExecRequestFile.encode(spec));
    var line = "r " + spec.execId();
    if (spec.stdin() != null) {
      Files.write(exec.file(".in"), spec.stdin());
      line += " i";
    }
    running.put(spec.execId(), exec);
    try {
      synchronized (control) {
        control.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        control.flush();
      }
      exec.started().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (IOException | ExecutionException | TimeoutException e) {
      running.remove(spec.execId());
      if (!exec.claimFinish()) {
        return; // the sandbox stopped meanwhile, and the listener was told the exec was lost
      }
      exec.deleteFiles();
      if (e.getCause() instanceof MissingDirectoryException missing) {
        throw missing;
      }
      throw new IOException("the sandbox's init did not start the command", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the command", e);
    }
  }

  /** The host pid of the sandbox's pid-namespace init (bwrap's child), once it runs. */
  java.util.Optional<ProcessHandle> namespaceInit() {
    return process.toHandle().children().findFirst();
  }

  void pump(String fileName) {
    int dot = fileName.lastIndexOf('.');
    var exec = dot > 0 ? running.get(fileName.substring(0, dot)) : null;
    if (exec != null) {
      exec.pump(fileName);
    }
  }

  void pumpAll() {
    running.values().forEach(RunningExec::pumpAll);
  }

  /** Kills every process of the sandbox and waits until its running commands are reported. */
  void kill(String reason) {
    lostReason = reason;
    killed = true;
    // Killing the pid-namespace init (bwrap's child) makes the kernel kill every other process
    // of the namespace, background ones included, and the init ends only once they are gone.
    // bwrap then exits too, and bwrap is our child, so waiting for it is cheap and exact.
    var namespaceInit = namespaceInit();
    namespaceInit.ifPresentOrElse(ProcessHandle::destroyForcibly, process::destroyForcibly);
    try {
      if (!process.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        logger.warn("sandbox {}: its init did not end within 5 s of KILL", sandboxId);
      }
      if (reader.isAlive() && Thread.currentThread() != reader) {
        reader.join(TimeUnit.SECONDS.toMillis(KILL_TIMEOUT_SECONDS));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends one exec's processes; see {@link ExecTermination}. */
  void terminate(String execId, java.time.Duration grace) {
    namespaceInit().ifPresent(init -> ExecTermination.terminate(init, execId, grace));
  }

  private void readReports() {
    try (var in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        try {
          report(line);
        } catch (RuntimeException e) {
          // sbx-init is ours, but a sandbox's processes can write to its pipe too
          logger.warn("sandbox {}: unreadable report from its init: {}", sandboxId, line, e);
        }
      }
    } catch (IOException e) {
      // the pipe broke because the process is gone: the same as an end of file
    }
    ready.completeExceptionally(new IOException("the sandbox's init exited"));
    for (var exec : running.values()) {
      running.remove(exec.execId());
      exec.finish(ExecOutcome.lost(lostReason));
    }
    if (!killed) {
      logger.warn("sandbox {}: its init exited: {}", sandboxId, folder.initLogTail());
      onUnexpectedExit.accept(this);
    }
  }

  private void report(String line) {
    var parts = line.split(" ");
    switch (parts[0]) {
      case "ready" -> ready.complete(null);
      case "x" -> {
        var exec = parts.length == 3 ? running.remove(parts[1]) : null;
        if (exec != null) {
          exec.finish(ExecOutcome.exited(Integer.parseInt(parts[2])));
          folder.touchLastExec(java.time.Instant.now());
        }
      }
      case "s" -> {
        var exec = parts.length == 3 ? running.get(parts[1]) : null;
        if (exec != null) {
          exec.started().complete(null);
        }
      }
      case "e" -> {
        var exec = parts.length == 3 ? running.get(parts[1]) : null;
        if (exec != null) {
          exec.started()
              .completeExceptionally(
                  "cwd".equals(parts[2])
                      ? new MissingDirectoryException()
                      : new IOException("sbx-init could not read the request"));
        }
      }
      default -> logger.warn("sandbox {}: unexpected report from its init: {}", sandboxId, line);
    }
  }
}
