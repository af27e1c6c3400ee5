package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Elapsed;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbx egress}: a sandbox's last connection attempts through the egress proxy. */
@Command(
    name = "egress",
    description = "List a sandbox's last connection attempts: allowed, denied or failed, and why.")
public final class EgressCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

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
    String response = globals.client().egress(id);
    if (globals.json()) {
      globals.out().document(response);
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
    for (Object item : list(Json.object(response).get("attempts"))) {
      var attempt = (Map<?, ?>) item;
      table.row(
          time(attempt.get("time")),
          Json.text(attempt.get("method")),
          Json.text(attempt.get("host")),
          Json.text(attempt.get("port")),
          attempt.get("address") == null ? "-" : Json.text(attempt.get("address")),
          Json.text(attempt.get("decision")),
          Json.text(attempt.get("bytes_sent")),
          Json.text(attempt.get("bytes_received")),
          duration(attempt),
          Json.text(attempt.get("reason")));
    }
    table.print(globals.out());
    return ExitCodes.OK;
  }

  /** How long the connection was open, or "open" while it still is. */
  private static String duration(Map<?, ?> attempt) {
    if (Boolean.TRUE.equals(attempt.get("open"))) {
      return "open";
    }
    if (!(attempt.get("duration_ms") instanceof Number ms)) {
      return "-";
    }
    // Most connections are short: milliseconds say more about them than tenths of a second.
    return ms.longValue() < 1_000
        ? ms.longValue() + "ms"
        : Elapsed.of(Duration.ofMillis(ms.longValue()));
  }

  private static String time(Object timestamp) {
    if (!(timestamp instanceof String text)) {
      return "-";
    }
    try {
      return TIME.format(OffsetDateTime.parse(text).atZoneSameInstant(ZoneId.systemDefault()));
    } catch (DateTimeParseException e) {
      return "-";
    }
  }

  private static List<?> list(Object value) {
    return value instanceof List ? (List<?>) value : List.of();
  }
}
