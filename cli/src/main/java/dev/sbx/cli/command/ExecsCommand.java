package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.ExecSummary;
import dev.sbx.cli.output.Age;
import dev.sbx.cli.output.Elapsed;
import dev.sbx.cli.output.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx execs}: one table row per running or recent exec of a sandbox. */
@Command(name = "execs", description = "List a sandbox's running and recent execs.")
public final class ExecsCommand implements Callable<Integer> {

  private static final int COMMAND_WIDTH = 40;

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().listExecs(sandbox.id);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var now = Instant.now();
    var table = new Table("EXEC ID", "STATUS", "EXIT", "STARTED", "DURATION", "COMMAND");
    for (var exec : ExecSummary.listOf(response)) {
      String started = Age.since(exec.startedAt(), now);
      table.row(
          exec.execId(),
          exec.status(),
          exec.running() ? "" : exec.exitCode(),
          started == null ? "-" : started + " ago",
          duration(exec, exec.running() ? now : instant(exec.finishedAt())),
          command(exec.command()));
    }
    table.print(globals.out());
    return ExitCodes.OK;
  }

  private static String duration(ExecSummary exec, Instant end) {
    Instant start = instant(exec.startedAt());
    return start == null || end == null ? "-" : Elapsed.of(Duration.between(start, end));
  }

  private static String command(List<String> argv) {
    String line = String.join(" ", argv);
    return line.length() <= COMMAND_WIDTH ? line : line.substring(0, COMMAND_WIDTH - 1) + "…";
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
