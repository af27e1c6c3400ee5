package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.SandboxSummary;
import dev.sbx.cli.output.Age;
import dev.sbx.cli.output.Table;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx list}: one table row per sandbox. */
@Command(name = "list", description = "List sandboxes.")
public final class ListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().listSandboxes();
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var now = Instant.now();
    var table = new Table("ID", "STATE", "RUNTIME", "AGE", "LAST EXEC");
    for (var sandbox : SandboxSummary.listOf(response)) {
      String age = Age.since(sandbox.createdAt(), now);
      String lastExec = Age.since(sandbox.lastExecAt(), now);
      table.row(
          sandbox.id(),
          sandbox.phase(),
          sandbox.runtime(),
          age == null ? "-" : age,
          lastExec == null ? "-" : lastExec + " ago");
    }
    table.print(globals.out());
    return ExitCodes.OK;
  }
}
