package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbx delete}: removes a sandbox and everything running in it. */
@Command(name = "delete", description = "Delete a sandbox.")
public final class DeleteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-id", "--id"},
      paramLabel = "ID",
      required = true,
      description = "Sandbox id.")
  String id;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().deleteSandbox(id);
    if (globals.json()) {
      globals.out().document(response);
      return ExitCodes.OK;
    }
    // The server answers with the full id ("sbx-demo"), which is what to show for "-id demo".
    String deleted = Json.text(Json.object(response).get("id"));
    globals.out().line("deleted " + (deleted.isEmpty() ? id : deleted));
    return ExitCodes.OK;
  }
}
