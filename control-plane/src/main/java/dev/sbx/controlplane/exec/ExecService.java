package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.sandbox.SandboxIds;
import dev.sbx.controlplane.sandbox.SandboxService;
import dev.sbx.controlplane.web.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.springframework.stereotype.Service;

/** Runs commands in sandboxes and publishes their events into the sandbox's event log. */
@Service
public class ExecService {

  private final SandboxService sandboxes;
  private final SandboxRuntime runtime;
  private final EventLogs eventLogs;
  private final boolean asyncByDefault;

  public ExecService(
      SandboxService sandboxes, SandboxRuntime runtime, EventLogs eventLogs, SandboxConfig config) {
    this.sandboxes = sandboxes;
    this.runtime = runtime;
    this.eventLogs = eventLogs;
    this.asyncByDefault = config.useAsyncExec();
  }

  /** Starts the command; waits for it to end unless the exec is async. */
  public ExecResult exec(String sandbox, ExecRequest request) throws InterruptedException {
    var command = checkCommand(request.command());
    var sandboxId = sandboxes.get(sandbox).id();
    boolean async = request.async() != null ? request.async() : asyncByDefault;
    var execId = SandboxIds.randomHex(8);
    var run = new ExecRun(sandboxId, execId, eventLogs.forSandbox(sandboxId), !async);
    run.started();
    try {
      runtime.exec(sandboxId, new ExecSpec(execId, command, Map.of(), ExecSpec.DEFAULT_CWD), run);
    } catch (SandboxNotFoundException e) {
      eventLogs.remove(sandboxId); // deleted meanwhile: do not keep a log for it
      throw e;
    } catch (RuntimeException e) {
      run.finished(ExecOutcome.lost("start_failed"));
      throw e;
    }
    if (async) {
      return ExecResult.running(execId, sandboxId);
    }
    ExecOutcome outcome;
    try {
      outcome = run.outcome().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("exec outcome failed", e.getCause());
    }
    return new ExecResult(
        execId,
        sandboxId,
        outcome.lost() ? "lost" : "completed",
        outcome.exitCode(),
        outcome.reason(),
        run.stdout(),
        run.stderr());
  }

  private static List<String> checkCommand(List<String> command) {
    if (command == null || command.isEmpty()) {
      throw new InvalidRequestException("command", "command is required");
    }
    for (var arg : command) {
      if (arg == null) {
        throw new InvalidRequestException("command", "arguments must be strings, not null");
      }
      if (arg.indexOf('\0') >= 0) {
        throw new InvalidRequestException("command", "arguments cannot contain NUL characters");
      }
    }
    if (command.get(0).isEmpty()) {
      throw new InvalidRequestException("command", "the program name is empty");
    }
    return List.copyOf(command);
  }
}
