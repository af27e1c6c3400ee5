package dev.sbx.cli;

import dev.sbx.cli.client.Version;
import dev.sbx.cli.command.CancelCommand;
import dev.sbx.cli.command.CompletionCommand;
import dev.sbx.cli.command.CpCommand;
import dev.sbx.cli.command.CreateCommand;
import dev.sbx.cli.command.DeleteCommand;
import dev.sbx.cli.command.EgressCommand;
import dev.sbx.cli.command.ExecCommand;
import dev.sbx.cli.command.ExecsCommand;
import dev.sbx.cli.command.GlobalOptions;
import dev.sbx.cli.command.ListCommand;
import dev.sbx.cli.command.LogsCommand;
import dev.sbx.cli.command.LsCommand;
import dev.sbx.cli.command.McpCommand;
import dev.sbx.cli.command.ShellCommand;
import dev.sbx.cli.command.StatusCommand;
import dev.sbx.cli.command.VersionCommand;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code sbx}: the top command; the sandbox is the implied noun of every subcommand. */
@Command(
    name = "sbx",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = SbxCommand.VersionProvider.class,
    description = "Create disposable sandboxes and run commands in them.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCodes.OK + ":ok",
      ExitCodes.ERROR + ":server or unexpected error",
      ExitCodes.USAGE + ":usage error",
      ExitCodes.NOT_FOUND + ":not found (404)",
      ExitCodes.CONFLICT + ":conflict or unavailable (409, 503), e.g. cancel of an exec that ended",
      ExitCodes.UNREACHABLE + ":control plane unreachable",
      ExitCodes.UNAUTHORIZED + ":unauthorized (401, 403)",
      ExitCodes.EXEC_FAILED + ":sbx exec failed itself; any other code of sbx exec is the command's"
    })
public final class SbxCommand implements Callable<Integer> {

  // Registered here rather than in @Command: see addSubcommands.
  private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

  // The completion script describes every command, so it needs them all.
  private static final String COMPLETION = "completion";

  static {
    SUBCOMMANDS.put("create", CreateCommand.class);
    SUBCOMMANDS.put("list", ListCommand.class);
    SUBCOMMANDS.put("status", StatusCommand.class);
    SUBCOMMANDS.put("exec", ExecCommand.class);
    SUBCOMMANDS.put("execs", ExecsCommand.class);
    SUBCOMMANDS.put("cancel", CancelCommand.class);
    SUBCOMMANDS.put("logs", LogsCommand.class);
    SUBCOMMANDS.put("shell", ShellCommand.class);
    SUBCOMMANDS.put("cp", CpCommand.class);
    SUBCOMMANDS.put("ls", LsCommand.class);
    SUBCOMMANDS.put("egress", EgressCommand.class);
    SUBCOMMANDS.put("delete", DeleteCommand.class);
    SUBCOMMANDS.put("mcp", McpCommand.class);
    SUBCOMMANDS.put("version", VersionCommand.class);
    SUBCOMMANDS.put(COMPLETION, CompletionCommand.class);
  }

  @Spec CommandSpec spec;

  @Mixin(name = GlobalOptions.NAME)
  final GlobalOptions globals;

  SbxCommand(GlobalOptions globals) {
    this.globals = globals;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /**
   * Adds the subcommand that {@code args} name, or all of them when they name none (help, typos).
   *
   * <p>Each subcommand's model costs picocli a few milliseconds of reflection, and a short {@code
   * sbx exec} should not pay for the ones it does not use.
   */
  static void addSubcommands(CommandLine root, String[] args) {
    String requested = requested(root.getCommandSpec(), args);
    boolean all = requested == null || requested.equals(COMPLETION);
    for (Map.Entry<String, Class<?>> subcommand : SUBCOMMANDS.entrySet()) {
      if (all || requested.equals(subcommand.getKey())) {
        root.addSubcommand(subcommand.getKey(), subcommand.getValue());
      }
    }
  }

  /** The names of every subcommand. */
  static Set<String> names() {
    return Collections.unmodifiableSet(SUBCOMMANDS.keySet());
  }

  private static String requested(CommandSpec root, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (SUBCOMMANDS.containsKey(arg)) {
        return arg;
      }
      if (!arg.startsWith("-") || arg.equals("--")) {
        return null;
      }
      OptionSpec option = root.findOption(arg);
      if (option != null && option.arity().max() > 0 && arg.indexOf('=') < 0) {
        i++;
      }
    }
    return null;
  }

  /** Reports the version the build stamped into the jar. */
  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sbx " + Version.get()};
    }
  }
}
