package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Age;
import dev.sbx.cli.output.Elapsed;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbx execs}: one table row per running or recent exec of a sandbox. */
@Command(name = "execs", description = "List a sandbox's running and recent execs.")
public final class ExecsCommand implements Callable<Integer> {

  private static final int COMMAND_WIDTH = 40;

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
    String response = globals.client().listExecs(id);
    if (globals.json()) {
      globals.out().document(response);
      return ExitCodes.OK;
    }
    var now = Instant.now();
    var table = new Table("EXEC ID", "STATUS", "EXIT", "STARTED", "DURATION", "COMMAND");
    for (Object item : list(Json.object(response).get("execs"))) {
      var exec = (Map<?, ?>) item;
      String started = Age.since(exec.get("started_at"), now);
      boolean running = "running".equals(exec.get("status"));
      table.row(
          Json.text(exec.get("exec_id")),
          Json.text(exec.get("status")),
          running ? "" : Json.text(exec.get("exit_code")),
          started == null ? "-" : started + " ago",
          duration(exec, running ? now : instant(exec.get("finished_at"))),
          command(exec.get("command")));
    }
    table.print(globals.out());
    return ExitCodes.OK;
  }

  private static String duration(Map<?, ?> exec, Instant end) {
    Instant start = instant(exec.get("started_at"));
    return start == null || end == null ? "-" : Elapsed.of(Duration.between(start, end));
  }

  private static String command(Object command) {
    String line = String.join(" ", list(command).stream().map(Json::text).toList());
    return line.length() <= COMMAND_WIDTH ? line : line.substring(0, COMMAND_WIDTH - 1) + "…";
  }

  private static Instant instant(Object timestamp) {
    if (!(timestamp instanceof String)) {
      return null;
    }
    try {
      return OffsetDateTime.parse((String) timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static List<?> list(Object value) {
    return value instanceof List ? (List<?>) value : List.of();
  }
}
