package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.Terminal;
import dev.sbx.controlplane.runtime.TerminalsUnavailableException;
import dev.sbx.controlplane.sandbox.SandboxService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

/**
 * Commands on a terminal ({@code /tty}): each is an exec of {@link ExecService}'s, run on a
 * terminal, with the {@link TerminalSession} that takes its input and counts its clients.
 */
@Service
public class TerminalService {

  /** Why a terminal session nobody came back to was ended. */
  static final String DETACHED = "detached";

  /**
   * The sandbox user's login shell, from its passwd entry where getent can read it, else $SHELL,
   * else sh. Run through sh so that it works in any image.
   */
  static final List<String> LOGIN_SHELL =
      List.of(
          "/bin/sh",
          "-c",
          "s=$(getent passwd \"$(id -u)\" 2>/dev/null | cut -d: -f7);"
              + " [ -x \"$s\" ] || s=${SHELL:-/bin/sh}; exec \"$s\" -l");

  private final ExecService execs;
  private final SandboxService sandboxes;
  private final SandboxRuntime runtime;
  private final EventLogs eventLogs;
  private final ExecRegistry registry;
  private final ExecIds ids;
  private final ExecProperties settings;
  private final TaskScheduler scheduler;
  private final Map<String, TerminalSession> terminals = new ConcurrentHashMap<>();

  public TerminalService(
      ExecService execs,
      SandboxService sandboxes,
      SandboxRuntime runtime,
      EventLogs eventLogs,
      ExecRegistry registry,
      ExecIds ids,
      ExecProperties settings,
      TaskScheduler taskScheduler) {
    this.execs = execs;
    this.sandboxes = sandboxes;
    this.runtime = runtime;
    this.eventLogs = eventLogs;
    this.registry = registry;
    this.ids = ids;
    this.settings = settings;
    this.scheduler = taskScheduler;
  }

  /**
   * Starts a command on a terminal: an exec like any other (listed, canceled, timed out, its output
   * kept), whose input the returned session takes. The session counts one client attached, the
   * caller's; without the command, the sandbox user's login shell runs.
   *
   * @throws dev.sbx.controlplane.runtime.TerminalsUnavailableException when the runtime has none
   */
  public TerminalSession startTerminal(String sandbox, TerminalRequest request) {
    var command = checkTerminal(sandbox, request);
    var timeout =
        ExecRequestCheck.timeoutSeconds(request.timeoutSeconds(), null, settings.execMaxTimeout());
    var env = new LinkedHashMap<String, String>();
    env.put("TERM", "xterm-256color");
    env.putAll(ExecRequestCheck.env(request.env()));
    var cwd = ExecRequestCheck.cwd(request.cwd());
    var size = TerminalSession.size(request.cols(), request.rows());
    var sandboxId = sandboxes.existingId(sandbox);
    var execId = ids.next();
    var record = new ExecRecord(sandboxId, execId, command, Instant.now(), timeout);
    record.markTerminal();
    registry.add(record);
    var log = eventLogs.forSandbox(sandboxId);
    var run = new ExecRun(record, log, 0);
    Terminal terminal;
    try {
      terminal =
          runtime.execTerminal(
              sandboxId, new ExecSpec(execId, command, env, cwd, null, false, size), run);
    } catch (SandboxNotFoundException e) {
      registry.discard(record);
      eventLogs.remove(sandboxId);
      throw e;
    } catch (RuntimeException e) {
      registry.discard(record);
      throw e;
    }
    run.started();
    execs.watch(record, timeout);
    var session =
        new TerminalSession(
            record,
            log,
            terminal,
            scheduler,
            settings.ttyDetachGrace(),
            () -> execs.stopLater(record, DETACHED));
    session.attach();
    terminals.put(execId, session);
    record.done().thenRun(() -> terminals.remove(execId));
    return session;
  }

  /**
   * The running terminal session of that exec, with one more client attached.
   *
   * @throws ExecNotFoundException when the sandbox has no such exec
   * @throws ExecFinishedException when it has ended
   * @throws InvalidRequestException when it does not run on a terminal
   */
  public TerminalSession attachTerminal(String sandbox, String execId) {
    var session = runningTerminal(sandbox, execId);
    session.attach();
    return session;
  }

  /** Checks that {@link #attachTerminal} would attach now, and throws what it would throw. */
  public void checkTerminalAttach(String sandbox, String execId) {
    runningTerminal(sandbox, execId);
  }

  private TerminalSession runningTerminal(String sandbox, String execId) {
    var record = execs.find(sandbox, execId);
    var session = terminals.get(record.execId());
    if (session == null || !session.sandboxId().equals(record.sandboxId())) {
      if (!record.running()) {
        throw new ExecFinishedException(execId, record.view().status());
      }
      throw new InvalidRequestException(
          "exec_id", "exec " + execId + " does not run on a terminal");
    }
    return session;
  }

  /**
   * Checks a terminal request before a socket opens for it, and throws what {@link #startTerminal}
   * would for it; returns the command it would run.
   */
  public List<String> checkTerminal(String sandbox, TerminalRequest request) {
    var command =
        request.command() == null || request.command().isEmpty()
            ? LOGIN_SHELL
            : ExecRequestCheck.command(request.command());
    // No default timeout: an interactive shell is not a job that hangs. One asked for still holds.
    ExecRequestCheck.timeoutSeconds(request.timeoutSeconds(), null, settings.execMaxTimeout());
    ExecRequestCheck.env(request.env());
    ExecRequestCheck.cwd(request.cwd());
    TerminalSession.size(request.cols(), request.rows());
    sandboxes.existingId(sandbox);
    var why = runtime.terminalsUnavailableBecause();
    if (why != null) {
      throw new TerminalsUnavailableException(runtime.name(), why);
    }
    return command;
  }
}
