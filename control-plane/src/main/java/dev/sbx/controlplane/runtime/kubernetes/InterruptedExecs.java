package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.InterruptedExec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Reads what exec-interrupted.sh prints: one exec a line, id, start time and argv. */
final class InterruptedExecs {

  private static final Pattern EXEC_ID = Pattern.compile("[0-9a-f]{16}");

  private InterruptedExecs() {}

  static List<InterruptedExec> parse(String sandboxId, String output) {
    var execs = new ArrayList<InterruptedExec>();
    for (var line : output.split("\n")) {
      var fields = line.split("\t", 3);
      if (fields.length < 3 || !EXEC_ID.matcher(fields[0]).matches()) {
        continue;
      }
      long started;
      try {
        started = Long.parseLong(fields[1].trim());
      } catch (NumberFormatException e) {
        started = 0;
      }
      var argv =
          fields[2].endsWith("\u001f") ? fields[2].substring(0, fields[2].length() - 1) : fields[2];
      execs.add(
          new InterruptedExec(
              sandboxId,
              fields[0],
              argv.isEmpty() ? List.of() : Arrays.asList(argv.split("\u001f", -1)),
              Instant.ofEpochSecond(started)));
    }
    return execs;
  }
}
