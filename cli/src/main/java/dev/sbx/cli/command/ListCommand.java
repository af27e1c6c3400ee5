package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Age;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    if (globals.json()) {
      globals.out().document(response);
      return ExitCodes.OK;
    }
    var now = Instant.now();
    var table = new Table("ID", "STATE", "RUNTIME", "AGE", "LAST EXEC");
    for (Object item : list(Json.object(response).get("sandboxes"))) {
      var sandbox = (Map<?, ?>) item;
      String age = Age.since(sandbox.get("created_at"), now);
      String lastExec = Age.since(sandbox.get("last_exec_at"), now);
      table.row(
          Json.text(sandbox.get("id")),
          Json.text(sandbox.get("phase")),
          Json.text(sandbox.get("runtime")),
          age == null ? "-" : age,
          lastExec == null ? "-" : lastExec + " ago");
    }
    table.print(globals.out());
    return ExitCodes.OK;
  }

  private static List<?> list(Object sandboxes) {
    return sandboxes instanceof List ? (List<?>) sandboxes : List.of();
  }
}
