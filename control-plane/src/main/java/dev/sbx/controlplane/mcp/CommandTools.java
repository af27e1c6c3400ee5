package dev.sbx.controlplane.mcp;

import static dev.sbx.controlplane.mcp.Schemas.bool;
import static dev.sbx.controlplane.mcp.Schemas.integer;
import static dev.sbx.controlplane.mcp.Schemas.nullableInteger;
import static dev.sbx.controlplane.mcp.Schemas.nullableString;
import static dev.sbx.controlplane.mcp.Schemas.oneOf;
import static dev.sbx.controlplane.mcp.Schemas.properties;
import static dev.sbx.controlplane.mcp.Schemas.string;
import static dev.sbx.controlplane.mcp.Schemas.stringMap;

import dev.sbx.controlplane.exec.ExecRequest;
import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.exec.ExecStatus;
import dev.sbx.controlplane.exec.ExecView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** run_command, start_command and cancel_command: commands in a sandbox, as REST's execs. */
@Component
class CommandTools {

  static final int DEFAULT_TIMEOUT_SECONDS = 60;
  static final int DEFAULT_OUTPUT_BUDGET = 100_000;
  static final int MAX_OUTPUT_BUDGET = 1_000_000;

  private final ExecService execs;
  private final ExecResults results;
  private final CommandProgress progress;

  CommandTools(ExecService execs, CommandProgress progress) {
    this.execs = execs;
    this.results = new ExecResults(execs);
    this.progress = progress;
  }

  List<SandboxTool> tools() {
    return List.of(
        SandboxTool.of(
            "run_command",
            "Run a command",
            """
            Runs a command in a sandbox and waits for it to end; returns its exit code, status, \
            stdout and stderr. Use it for anything that ends within timeout_seconds (default 60): \
            builds, tests, scripts, ls, git. For a server or a job that runs longer, use \
            start_command and read_output instead. command is an array (program and arguments, \
            no shell) or one string, run with sh -c (pipes, &&, redirections work). Files and \
            background processes stay in the sandbox between calls; the working directory starts \
            at /workspace each time. A non-zero exit_code is a normal result, not an error. When \
            the timeout passes, the command and everything it started are killed and the call is \
            an error with status timed_out and the output so far. Each of stdout and stderr is \
            cut to max_output_bytes (default 100000): the start and the end are kept and a \
            marker in the middle says how many bytes were left out and the offset to give \
            read_output to read them.""",
            Schemas.input(
                properties(
                    "sandbox_id", string("The sandbox's id, as create_sandbox returned it."),
                    "command", commandSchema(),
                    "cwd", string("Working directory: an absolute path. Default /workspace."),
                    "env", stringMap("Environment variables added for this command only."),
                    "stdin", string("Text given to the command on stdin; stdin is empty without."),
                    "timeout_seconds",
                        integer(
                            "Seconds before the command is killed. Default "
                                + DEFAULT_TIMEOUT_SECONDS
                                + ".",
                            1),
                    "max_output_bytes",
                        integer(
                            "Bytes of stdout, and of stderr, to return at most; the middle of a"
                                + " longer stream is left out. Default "
                                + DEFAULT_OUTPUT_BUDGET
                                + ", at most "
                                + MAX_OUTPUT_BUDGET
                                + ".",
                            1024)),
                "sandbox_id",
                "command"),
            runOutput(),
            SandboxTool.changes(true, false),
            this::run),
        SandboxTool.of(
            "start_command",
            "Start a command in the background",
            """
            Starts a command in a sandbox and returns at once with its exec_id, without waiting \
            for it to end. Use it for servers, watchers and jobs that may run longer than \
            run_command's timeout; then read its output with read_output (exec_id, offset) and \
            stop it with cancel_command. Arguments as for run_command; without timeout_seconds \
            it runs until it ends, is canceled, or the server's longest timeout passes.""",
            Schemas.input(
                properties(
                    "sandbox_id", string("The sandbox's id, as create_sandbox returned it."),
                    "command", commandSchema(),
                    "cwd", string("Working directory: an absolute path. Default /workspace."),
                    "env", stringMap("Environment variables added for this command only."),
                    "stdin", string("Text given to the command on stdin; stdin is empty without."),
                    "timeout_seconds", integer("Seconds before the command is killed.", 1)),
                "sandbox_id",
                "command"),
            Schemas.object(execProperties(), "exec_id", "sandbox_id", "status"),
            SandboxTool.changes(true, false),
            this::start),
        SandboxTool.of(
            "cancel_command",
            "Cancel a command",
            """
            Stops a running command (from start_command or run_command) and every process it \
            started, waits until they are gone, and returns its final status (canceled) and exit \
            code. Its output stays readable with read_output. A command that has already ended \
            gives an error saying how it ended.""",
            Schemas.input(
                properties(
                    "sandbox_id", string("The sandbox's id."),
                    "exec_id", string("The command's exec_id.")),
                "sandbox_id",
                "exec_id"),
            Schemas.object(execProperties(), "exec_id", "sandbox_id", "status"),
            SandboxTool.changes(true, true),
            this::cancel));
  }

  static Map<String, Object> commandSchema() {
    return Map.of(
        "description",
        "The command: an array of strings (program, then its arguments, passed as they are), or"
            + " one string run with sh -c.",
        "oneOf",
        List.of(
            Map.of("type", "string", "minLength", 1),
            Map.of("type", "array", "items", Map.of("type", "string"), "minItems", 1)));
  }

  static Map<String, Object> execProperties() {
    var statuses =
        List.of(ExecStatus.values()).stream().map(ExecStatus::wireName).toArray(String[]::new);
    return properties(
        "exec_id", string("The command's id, for read_output and cancel_command."),
        "sandbox_id", string("The sandbox it runs in."),
        "status", oneOf("Where the command is: running until it ended.", statuses),
        "exit_code", nullableInteger("Its exit code once ended; 128+N when signal N ended it."),
        "reason", nullableString("Why it ended when it did not simply exit (e.g. timeout)."));
  }

  private static Map<String, Object> runOutput() {
    var properties = execProperties();
    properties.put("stdout", string("Its stdout (the middle cut out when over the budget)."));
    properties.put("stderr", string("Its stderr, likewise."));
    properties.put("stdout_bytes", integer("Bytes it wrote to stdout in all.", 0));
    properties.put("stderr_bytes", integer("Bytes it wrote to stderr in all.", 0));
    properties.put("truncated", bool("Whether stdout or stderr was cut to the budget."));
    return Schemas.object(
        properties,
        "exec_id",
        "sandbox_id",
        "status",
        "exit_code",
        "stdout",
        "stderr",
        "stdout_bytes",
        "stderr_bytes",
        "truncated");
  }

  private SandboxTool.Outcome run(SandboxTool.Call call) throws InterruptedException {
    var args = call.arguments();
    int timeout =
        (int) args.integer("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, 1, Integer.MAX_VALUE);
    int budget =
        (int) args.integer("max_output_bytes", DEFAULT_OUTPUT_BUDGET, 1024, MAX_OUTPUT_BUDGET);
    var started = start(args, timeout);
    var view = await(call, started, timeout);
    var fields = results.withOutput(view, budget);
    return switch (view.status()) {
      case COMPLETED -> SandboxTool.Outcome.ok(fields);
      case TIMED_OUT ->
          SandboxTool.Outcome.failed(
              "timeout: the command ran longer than timeout_seconds ("
                  + timeout
                  + ") and was killed with everything it started; the output it wrote is below."
                  + " For longer jobs use start_command, or give a larger timeout_seconds.",
              fields);
      default ->
          SandboxTool.Outcome.failed(
              "the command ended "
                  + view.status().wireName()
                  + (view.reason() == null ? "" : " (" + view.reason() + ")"),
              fields);
    };
  }

  private SandboxTool.Outcome start(SandboxTool.Call call) throws InterruptedException {
    var args = call.arguments();
    long timeout = args.integer("timeout_seconds", -1, 1, Integer.MAX_VALUE);
    return SandboxTool.Outcome.ok(
        ExecResults.fields(start(args, timeout < 0 ? null : (int) timeout)));
  }

  private ExecView start(ToolArguments args, @Nullable Integer timeout)
      throws InterruptedException {
    var request =
        new ExecRequest(
            args.command(),
            true,
            timeout,
            args.stringMap("env"),
            args.string("cwd"),
            args.string("stdin"),
            null);
    return execs.exec(args.requiredString("sandbox_id"), request).exec();
  }

  /** Waits for the exec to end; its own timeout bounds the wait. */
  private ExecView await(SandboxTool.Call call, ExecView started, int timeout)
      throws InterruptedException {
    var ended = execs.ended(started.sandboxId(), started.execId());
    var reporter = progress.reporter(call, started, timeout);
    while (true) {
      try {
        return ended.get(progress.interval().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        reporter.report();
      } catch (ExecutionException e) {
        throw new IllegalStateException("exec " + started.execId() + " failed to end", e);
      }
    }
  }

  private SandboxTool.Outcome cancel(SandboxTool.Call call) throws InterruptedException {
    var args = call.arguments();
    var view = execs.cancel(args.requiredString("sandbox_id"), args.requiredString("exec_id"));
    return SandboxTool.Outcome.ok(ExecResults.fields(view));
  }
}
