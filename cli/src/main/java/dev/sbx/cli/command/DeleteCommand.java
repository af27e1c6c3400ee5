package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx delete}: removes a sandbox and everything running in it. */
@Command(name = "delete", description = "Delete a sandbox.")
public final class DeleteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().deleteSandbox(sandbox.id);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    // The server answers with the full id ("sbx-demo"), which is what to show for "-id demo".
    String deleted = Json.text(Json.object(response).get("id"));
    globals.out().line("deleted " + (deleted.isEmpty() ? sandbox.id : deleted));
    return ExitCodes.OK;
  }
}
