package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.EgressAttempt;
import dev.sbx.cli.output.Elapsed;
import dev.sbx.cli.output.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx egress}: a sandbox's last connection attempts through the egress proxy. */
@Command(
    name = "egress",
    description = "List a sandbox's last connection attempts: allowed, denied or failed, and why.")
public final class EgressCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().egress(sandbox.id);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var table =
        new Table(
            "TIME",
            "METHOD",
            "HOST",
            "PORT",
            "ADDRESS",
            "DECISION",
            "SENT",
            "RECEIVED",
            "DURATION",
            "REASON");
    for (var attempt : EgressAttempt.listOf(response)) {
      table.row(
          time(attempt.time()),
          attempt.method(),
          attempt.host(),
          attempt.port(),
          attempt.address() == null ? "-" : attempt.address(),
          attempt.decision(),
          attempt.bytesSent(),
          attempt.bytesReceived(),
          duration(attempt),
          attempt.reason());
    }
    table.print(globals.out());
    return ExitCodes.OK;
  }

  /** How long the connection was open, or "open" while it still is. */
  private static String duration(EgressAttempt attempt) {
    if (attempt.open()) {
      return "open";
    }
    var ms = attempt.durationMs();
    if (ms == null) {
      return "-";
    }
    // Most connections are short: milliseconds say more about them than tenths of a second.
    return ms.longValue() < 1_000
        ? ms.longValue() + "ms"
        : Elapsed.of(Duration.ofMillis(ms.longValue()));
  }

  private static String time(String text) {
    if (text == null) {
      return "-";
    }
    try {
      return TIME.format(OffsetDateTime.parse(text).atZoneSameInstant(ZoneId.systemDefault()));
    } catch (DateTimeParseException e) {
      return "-";
    }
  }
}
