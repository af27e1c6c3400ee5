package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx status}: one sandbox as {@code key=value} lines. */
@Command(name = "status", description = "Show one sandbox.")
public final class StatusCommand implements Callable<Integer> {

  // Fixed, so scripts can rely on it; the original printed Go map order, a different one each run.
  private static final List<String> FIELDS =
      List.of(
          "id", "namespace", "pod_name", "runtime", "phase", "ready", "created_at", "last_exec_at");
  private static final List<String> LIMITS =
      List.of("cpu_limit", "mem_limit", "pids_limit", "disk_limit");
  private static final List<String> USAGE =
      List.of("memory_bytes", "cpu_seconds", "pids", "disk_bytes");

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().getSandbox(sandbox.id);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var sandbox = Json.object(response);
    var lines = new StringBuilder();
    append(lines, "", sandbox, FIELDS);
    if (sandbox.get("resources") instanceof Map<?, ?> resources) {
      append(lines, "resources.", resources, LIMITS);
      if (resources.get("unenforced") instanceof Map<?, ?> unenforced) {
        append(lines, "resources.unenforced.", unenforced, LIMITS);
      }
    }
    if (sandbox.get("usage") instanceof Map<?, ?> usage) {
      append(lines, "usage.", usage, USAGE);
    }
    globals.out().raw(lines.toString());
    return ExitCodes.OK;
  }

  private static void append(
      StringBuilder lines, String prefix, Map<?, ?> object, List<String> fields) {
    for (String field : fields) {
      Object value = object.get(field);
      if (value != null) {
        lines.append(prefix).append(field).append('=').append(Json.text(value)).append('\n');
      }
    }
  }
}
