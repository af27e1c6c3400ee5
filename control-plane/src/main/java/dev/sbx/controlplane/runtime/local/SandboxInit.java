package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.HelperOutcome;
import dev.sbx.controlplane.runtime.MissingWorkingDirectoryException;
import dev.sbx.controlplane.runtime.Terminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sandbox's first process: bwrap running sbx-init, the pipe we send requests on, the
 * thread that reads its reports, and the commands it is running. When it ends, every command it was
 * running ends as lost.
 *
 * <p>Its reports are read by a {@link ReportReader}: a few bytes per line and a few lines per
 * request. Anything else on that pipe cannot come from sbx-init, so it is a protocol violation: the
 * sandbox's processes are killed, its running commands end lost, and the next exec starts it again.
 */
final class SandboxInit {

  private static final Logger logger = LoggerFactory.getLogger(SandboxInit.class);
  private static final long READY_TIMEOUT_SECONDS = 10;
  private static final long KILL_TIMEOUT_SECONDS = 5;
  private static final long START_TIMEOUT_SECONDS = 10;
  // A helper's output is all read when its stdout closes; its end report follows at once.
  private static final long HELPER_END_SECONDS = 30;
  // Long enough for a helper's TERM trap to remove its temporary file on a loaded machine (1 s
  // was not: CI once saw an upload's temporary file outlive a KILL); helpers that end at once on
  // TERM, which is all of them, cost nothing more.
  private static final Duration HELPER_GRACE = Duration.ofSeconds(5);

  private final String sandboxId;
  private final SandboxFolder folder;
  private final Process process;
  private final OutputStream control;
  private final ReportReader reports;
  private final Map<String, RunningExec> running = new ConcurrentHashMap<>();
  private final Map<String, PipedExec> piped = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Thread reader;
  private final Consumer<SandboxInit> onUnexpectedExit;
  private final Consumer<String> onViolation;
  private final @Nullable HostUser fileOwner;
  private final SandboxCgroup cgroup;
  private volatile String lostReason = ExecOutcome.SANDBOX_STOPPED;
  private volatile boolean killed;

  private SandboxInit(
      String sandboxId,
      SandboxFolder folder,
      Process process,
      LocalSandboxContext shared,
      @Nullable HostUser fileOwner,
      SandboxCgroup cgroup,
      Consumer<SandboxInit> onUnexpectedExit) {
    this.sandboxId = sandboxId;
    this.folder = folder;
    this.process = process;
    this.control = process.getOutputStream();
    this.reports = new ReportReader(process.getInputStream());
    this.fileOwner = fileOwner;
    this.cgroup = cgroup;
    this.onUnexpectedExit = onUnexpectedExit;
    this.onViolation = shared.violations();
    this.reader = new Thread(this::readReports, "sbx-init-" + sandboxId);
    reader.setDaemon(true);
  }

  /**
   * Starts bwrap and waits until sbx-init takes requests.
   *
   * @param fileOwner the sandbox's own host user, which runs it and owns its exec files; null when
   *     that is us
   */
  static SandboxInit start(
      LocalSandboxContext shared,
      SandboxFolder folder,
      SandboxMetadata metadata,
      @Nullable HostUser fileOwner,
      SandboxCgroup cgroup,
      Consumer<SandboxInit> onExit)
      throws IOException {
    folder.clearExecFiles();
    Files.write(folder.initLog(), new byte[0]);
    // The options go to bwrap through a file, so that no host path shows in the sandbox.
    Files.write(
        folder.bwrapArgs(),
        shared.command().options(folder, metadata.env()),
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    var builder =
        new ProcessBuilder(
            shared.command().launch(folder.bwrapArgs(), cgroup.procsFiles(), fileOwner));
    // Nothing of the control plane's environment (tokens, paths) reaches bwrap or the sandbox.
    builder.environment().clear();
    builder.environment().put("PATH", BwrapCommand.HOST_PATH);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(folder.initLog().toFile()));
    var init =
        new SandboxInit(
            metadata.id(),
            folder,
            shared.launcher().start(builder),
            shared,
            fileOwner,
            cgroup,
            onExit);
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
   * @throws MissingWorkingDirectoryException when its working directory does not exist
   */
  void exec(ExecSpec spec, ExecListener listener) throws IOException {
    start(spec, listener);
  }

  /**
   * Starts a command on a terminal of its own (only the native sbx-init has them) and returns its
   * input side.
   */
  Terminal execTerminal(ExecSpec spec, ExecListener listener) throws IOException {
    return new LocalTerminal(this, start(spec, listener));
  }

  private RunningExec start(ExecSpec spec, ExecListener listener) throws IOException {
    var exec = RunningExec.create(spec, folder.execs(), fileOwner, cgroup.oomKills(), listener);
    var tty = spec.tty();
    var line =
        "r "
            + spec.execId()
            + (tty != null ? " t " + tty.cols() + " " + tty.rows() : "")
            + (spec.stdin() != null ? " i" : "");
    running.put(spec.execId(), exec);
    try {
      synchronized (control) {
        reports.expectReplies();
        control.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        control.flush();
      }
      exec.started().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return exec;
    } catch (IOException | ExecutionException | TimeoutException e) {
      running.remove(spec.execId());
      if (!exec.claimFinish()) {
        return exec; // the sandbox stopped meanwhile, and the listener was told the exec was lost
      }
      exec.abandon();
      if (e.getCause() instanceof MissingWorkingDirectoryException missing) {
        throw missing;
      }
      throw new IOException("the sandbox's init did not start the command", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the command", e);
    }
  }

  /**
   * Runs a helper with piped stdin and stdout (see {@link PipedExec}) and returns how it ended.
   * Only the native sbx-init reports a start after the child opened its pipes, which the pipes
   * need; the script's child opens them after the report.
   */
  HelperOutcome pipe(ExecSpec spec, @Nullable InputStream in, OutputStream out) throws IOException {
    var exec = PipedExec.create(spec, folder.execs(), fileOwner, in != null);
    piped.put(spec.execId(), exec);
    try {
      synchronized (control) {
        reports.expectReplies();
        var line = "r " + spec.execId() + (exec.withStdin() ? " i" : "") + "\n";
        control.write(line.getBytes(StandardCharsets.US_ASCII));
        control.flush();
      }
      exec.started().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      exec.transfer(in, out, () -> terminate(spec.execId(), HELPER_GRACE));
      var outcome = exec.finished().get(HELPER_END_SECONDS, TimeUnit.SECONDS);
      if (exec.inputFailed()) {
        throw new IOException("the request body broke off; the helper was ended");
      }
      return new HelperOutcome(outcome, exec.stderr());
    } catch (ExecutionException | TimeoutException e) {
      terminate(spec.execId(), HELPER_GRACE);
      throw new IOException("the sandbox's init did not run the helper", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running a helper", e);
    } finally {
      piped.remove(spec.execId());
      exec.close();
    }
  }

  /**
   * Sends sbx-init a line that has no answer: a terminal's new size ({@code w}) or a signal to its
   * foreground group ({@code k}).
   */
  void tell(String line) throws IOException {
    if (!alive()) {
      throw new IOException("the sandbox's init is not running");
    }
    synchronized (control) {
      control.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      control.flush();
    }
  }

  /** The host pid of the sandbox's pid-namespace init (sbx-init), once it runs. */
  Optional<ProcessHandle> namespaceInit() {
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
    // Killing the pid-namespace init makes the kernel kill every other process of the namespace,
    // background ones included. bwrap then exits too, and bwrap is our child, so waiting for it is
    // cheap and exact.
    namespaceInit().ifPresentOrElse(ProcessHandle::destroyForcibly, process::destroyForcibly);
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
  void terminate(String execId, Duration grace) {
    namespaceInit().ifPresent(init -> ExecTermination.terminate(init, execId, grace));
  }

  private void readReports() {
    try (var in = process.getInputStream()) {
      String line;
      while ((line = reports.next()) != null) {
        report(line);
      }
    } catch (ReportReader.ProtocolViolation e) {
      violated(e.getMessage(), e.sample());
    } catch (IOException e) {
      // the pipe broke because the process is gone: the same as an end of file
    }
    ready.completeExceptionally(new IOException("the sandbox's init exited"));
    for (var exec : running.values()) {
      running.remove(exec.execId());
      exec.finish(ExecOutcome.lost(lostReason));
    }
    piped.values().forEach(helper -> helper.finish(ExecOutcome.lost(lostReason)));
    if (!killed) {
      logger.warn("sandbox {}: its init exited: {}", sandboxId, folder.initLogTail());
      onUnexpectedExit.accept(this);
    } else if (ExecOutcome.PROTOCOL_VIOLATION.equals(lostReason)) {
      onUnexpectedExit.accept(this);
    }
  }

  private void violated(String what, String sample) {
    logger.warn(
        "sandbox {}: protocol violation on its control channel ({}): \"{}\"; restarting it",
        sandboxId,
        what,
        sample);
    onViolation.accept(sandboxId);
    kill(ExecOutcome.PROTOCOL_VIOLATION);
  }

  private void report(String line) throws ReportReader.ProtocolViolation {
    var parts = line.split(" ", -1);
    switch (parts[0]) {
      case "ready" -> {
        if (parts.length != 1) {
          throw ReportReader.ProtocolViolation.malformed(line);
        }
        ready.complete(null);
      }
      case "x" -> {
        if (parts.length != 3 || !parts[2].matches("[0-9]{1,3}")) {
          throw ReportReader.ProtocolViolation.malformed(line);
        }
        var exec = running.remove(parts[1]);
        if (exec != null) {
          exec.finish(outcome(exec, Integer.parseInt(parts[2])));
          folder.touchLastExec(Instant.now());
        }
        var helper = piped.get(parts[1]);
        if (helper != null) {
          helper.finish(ExecOutcome.exited(Integer.parseInt(parts[2])));
        }
      }
      case "s" -> {
        if (parts.length != 3 || !parts[2].matches("[0-9]{1,10}")) {
          throw ReportReader.ProtocolViolation.malformed(line);
        }
        var exec = running.get(parts[1]);
        if (exec != null) {
          exec.started().complete(null);
        }
        var helper = piped.get(parts[1]);
        if (helper != null) {
          helper.started().complete(null);
        }
      }
      case "e" -> {
        if (parts.length != 3) {
          throw ReportReader.ProtocolViolation.malformed(line);
        }
        var helper = piped.get(parts[1]);
        if (helper != null) {
          helper.started().completeExceptionally(new IOException("sbx-init refused the helper"));
        }
        var exec = running.get(parts[1]);
        if (exec != null) {
          exec.started()
              .completeExceptionally(
                  "cwd".equals(parts[2])
                      ? new MissingWorkingDirectoryException(exec.cwd())
                      : new IOException("sbx-init could not read the request"));
        }
      }
      default -> throw ReportReader.ProtocolViolation.malformed(line);
    }
  }

  /**
   * How a command ended: a death by SIGKILL while the sandbox's OOM kill count went up since it
   * started is the OOM killer's doing. (With several execs dying at once, one killed by hand may be
   * taken for it; the sandbox's count says only that one was.)
   */
  private ExecOutcome outcome(RunningExec exec, int status) {
    if (status == ExecOutcome.KILLED && cgroup.oomKills() > exec.oomKillsAtStart()) {
      return ExecOutcome.oomKilled();
    }
    return ExecOutcome.exited(status);
  }
}
