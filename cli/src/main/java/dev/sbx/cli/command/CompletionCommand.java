package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sbx completion}: prints a script that teaches a shell to complete sbx's commands. */
@Command(
    name = "completion",
    description = "Print the shell completion script for sbx.",
    footerHeading = "%n",
    footer = {
      "Load it into the current shell:",
      "  source <(sbx completion bash)",
      "  source <(sbx completion zsh)",
      "Add that line to ~/.bashrc or ~/.zshrc to have it in every new shell."
    })
public final class CompletionCommand implements Callable<Integer> {

  // zsh runs bash completion scripts through its bashcompinit module; compinit must come first,
  // but only once, or it would drop the completions loaded before.
  private static final String ZSH_PREAMBLE =
      """
      if ! whence compdef > /dev/null; then
        autoload -U +X compinit && compinit
      fi
      autoload -U +X bashcompinit && bashcompinit
      """;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "SHELL",
      completionCandidates = Shells.class,
      description = "The shell: ${COMPLETION-CANDIDATES}.")
  String shell;

  /** The shells there is a script for. */
  static final class Shells extends ArrayList<String> {
    Shells() {
      super(List.of("bash", "zsh"));
    }
  }

  @Override
  public Integer call() {
    if (!new Shells().contains(shell)) {
      throw new ParameterException(
          spec.commandLine(), "unknown shell \"" + shell + "\" (expected bash or zsh)");
    }
    // The root has every subcommand: SbxCommand adds them all for this one.
    String script = AutoComplete.bash("sbx", spec.root().commandLine());
    var out = GlobalOptions.of(spec).out();
    out.raw(shell.equals("zsh") ? ZSH_PREAMBLE + script : script);
    return ExitCodes.OK;
  }
}
