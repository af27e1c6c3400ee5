package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx cancel}: stops one exec and everything it started. */
@Command(
    name = "cancel",
    description = "Stop an exec and every process it started; waits until they have ended.")
public final class CancelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Mixin ExecIdOption exec;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().cancelExec(sandbox.id, exec.id);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var view = Json.object(response);
    String canceled = Json.text(view.get("exec_id"));
    globals
        .out()
        .line(
            "canceled "
                + (canceled.isEmpty() ? exec.id : canceled)
                + " (exit "
                + Json.text(view.get("exit_code"))
                + ")");
    return ExitCodes.OK;
  }
}
