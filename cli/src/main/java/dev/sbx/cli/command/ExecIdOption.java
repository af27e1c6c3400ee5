package dev.sbx.cli.command;

import picocli.CommandLine.Option;

/** The {@code -exec-id} option of the commands that act on one exec. */
public final class ExecIdOption {

  @Option(
      names = {"-exec-id", "--exec-id"},
      paramLabel = "EXEC_ID",
      required = true,
      description = "Exec id, as sbx exec -async or sbx execs shows it.")
  String id;
}
