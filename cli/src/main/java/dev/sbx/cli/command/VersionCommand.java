package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.Version;
import dev.sbx.cli.output.Json;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx version}: the versions of sbx and of the control plane it talks to. */
@Command(
    name = "version",
    description = {
      "Show the version of sbx and of the control plane it talks to.",
      "-V shows sbx's alone, without asking the control plane."
    })
public final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    if (globals.json()) {
      return json(globals);
    }
    // First, so that a bug report has it even when the control plane is down.
    globals.out().line("sbx " + Version.get());
    var server = Json.object(globals.client().version());
    String runtime = Json.text(server.get("runtime"));
    globals
        .out()
        .line(
            "control plane "
                + orUnknown(Json.text(server.get("version")))
                + (runtime.isEmpty() ? "" : " (" + runtime + " runtime)")
                + " at "
                + globals.baseUrl());
    return ExitCodes.OK;
  }

  private static int json(GlobalOptions globals) {
    var versions = new LinkedHashMap<String, Object>();
    versions.put("cli", Version.get());
    try {
      versions.put("server", Json.object(globals.client().version()));
    } finally {
      // Also when the control plane is down, as with kubectl: what is known, then the error.
      globals.out().document(Json.write(versions));
    }
    return ExitCodes.OK;
  }

  private static String orUnknown(String version) {
    return version.isEmpty() ? "(version unknown)" : version;
  }
}
