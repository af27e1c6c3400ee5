package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbx cancel}: stops one exec and everything it started. */
@Command(
    name = "cancel",
    description = "Stop an exec and every process it started; waits until they have ended.")
public final class CancelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Option(
      names = {"-exec-id", "--exec-id"},
      paramLabel = "EXEC_ID",
      required = true,
      description = "Exec id, as sbx exec -async or sbx execs shows it.")
  String execId;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().cancelExec(sandbox.id, execId);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var exec = Json.object(response);
    String canceled = Json.text(exec.get("exec_id"));
    globals
        .out()
        .line(
            "canceled "
                + (canceled.isEmpty() ? execId : canceled)
                + " (exit "
                + Json.text(exec.get("exit_code"))
                + ")");
    return ExitCodes.OK;
  }
}
