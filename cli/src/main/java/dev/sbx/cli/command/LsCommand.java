package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.FileEntry;
import dev.sbx.cli.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sbx ls}: the files of a folder in a sandbox, one table row each. */
@Command(
    name = "ls",
    description =
        "List a folder of a sandbox (relative paths start at /workspace), or describe one file.")
public final class LsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PATH",
      description = "Default: /workspace.")
  String path = "/workspace";

  @Option(
      names = {"-R", "--recursive"},
      description = "Everything below the folder too.")
  boolean recursive;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    String response = globals.client().listFiles(sandbox.id, path, recursive);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var table = new Table("TYPE", "SIZE", "MODE", "MODIFIED", "NAME");
    var out = globals.terminal().stdout() ? globals.out().escapingControls() : globals.out();
    for (var entry : FileEntry.listOf(response)) {
      String name = recursive ? entry.path() : entry.name();
      table.row(
          entry.type(),
          entry.size(),
          entry.mode(),
          entry.mtime().length() > 19 ? entry.mtime().substring(0, 19) + "Z" : entry.mtime(),
          entry.target() == null ? name : name + " -> " + entry.target());
    }
    table.print(out);
    return ExitCodes.OK;
  }
}
