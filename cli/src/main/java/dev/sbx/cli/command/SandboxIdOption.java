package dev.sbx.cli.command;

import picocli.CommandLine.Option;

/**
 * The {@code -id} option of the commands that act on one existing sandbox, as a picocli mixin.
 *
 * <p>Startup cost, measured (issue 13 asks for under 5 ms): {@code sbx status -id x} against a
 * closed port, the fat jar built at a5b6195^ (five copies of the option) and at a5b6195 (this
 * mixin, the JSON-or-text helper and the answer records), hyperfine, 60 runs each, run twice in
 * alternation on 2026-12-03: medians 188.6 and 187.4 ms before, 188.1 and 189.6 ms after, so about
 * +1 ms, well within the run-to-run spread (sd 17-23 ms).
 */
public final class SandboxIdOption {

  @Option(
      names = {"-id", "--id"},
      paramLabel = "ID",
      required = true,
      description = "Sandbox id.")
  String id;
}
