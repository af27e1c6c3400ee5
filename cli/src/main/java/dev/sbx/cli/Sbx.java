package dev.sbx.cli;

import dev.sbx.cli.command.GlobalOptions;
import dev.sbx.cli.output.Printer;
import dev.sbx.cli.output.Terminal;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** The {@code sbx} command line client of the sandbox control plane. */
public final class Sbx {

  private Sbx() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.in, System.getenv(), Terminal.detect()));
  }

  /** Runs sbx in-process with streams that are not terminals, and returns its exit code. */
  public static int run(
      String[] args, PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
    return run(args, out, err, in, env, Terminal.NONE);
  }

  /**
   * Runs sbx in-process and returns its exit code instead of exiting.
   *
   * @param in standard input, read only by {@code sbx exec -i}
   * @param env the environment to read {@code SBX_ADDR} and {@code SBX_TOKEN} from
   * @param terminal which of {@code out} and {@code err} to treat as a terminal
   */
  public static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      Terminal terminal) {
    var globals = new GlobalOptions(new Printer(out), new Printer(err), in, env, terminal);
    var commandLine = new CommandLine(new SbxCommand(globals));
    // First, so that the settings below reach the subcommands too.
    SbxCommand.addSubcommands(commandLine, args);
    commandLine.setOut(writer(out));
    commandLine.setErr(writer(err));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    var failures = new Failures(globals);
    commandLine.setExitCodeExceptionMapper(failures);
    commandLine.setParameterExceptionHandler(failures);
    commandLine.setExecutionExceptionHandler(failures);
    // As with Go's flag package and ssh: everything from the first word of the command on is
    // the command's own, so `sbx exec -id x ls -la` does not read -la as an sbx flag.
    for (var name : new String[] {"exec", "shell"}) {
      var command = commandLine.getSubcommands().get(name);
      if (command != null) {
        command.setStopAtPositional(true);
      }
    }
    try {
      return commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      commandLine.getErr().flush();
    }
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
