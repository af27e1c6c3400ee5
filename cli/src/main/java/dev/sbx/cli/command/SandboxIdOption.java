package dev.sbx.cli.command;

import picocli.CommandLine.Option;

/** The {@code -id} option of the commands that act on one existing sandbox. */
public final class SandboxIdOption {

  @Option(
      names = {"-id", "--id"},
      paramLabel = "ID",
      required = true,
      description = "Sandbox id.")
  String id;
}
