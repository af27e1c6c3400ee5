package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Printer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sbx exec}: runs a command in a sandbox and exits with the command's exit code. */
@Command(
    name = "exec",
    description = "Run a command in a sandbox, print its output as it comes, exit with its code.",
    footerHeading = "%n",
    footer = {
      "If the connection breaks, sbx reconnects and resumes the output where it stopped, with"
          + " nothing lost or repeated; it gives up after 30 s of failed attempts.",
      "",
      "Ctrl-C while the output streams (the default, -stream) cancels the command in the"
          + " sandbox, and everything it started. Ctrl-C during -sync only stops sbx: the command"
          + " runs on until it ends or reaches its -timeout (see sbx execs, sbx cancel).",
      "",
      "On a terminal, control characters in the command's output (escape sequences among them)"
          + " are shown as escapes such as \\u001b, so the command cannot act on the terminal;"
          + " \\n, \\r, \\t and \\b pass. Output to a pipe or a file is never changed. -raw"
          + " passes everything, for a command you trust to draw on the terminal.",
      "",
      "Exit status: the command's own, also when -timeout or a cancel stopped it (128+signal,"
          + " after a line on stderr); 255 when sbx exec failed itself or the command was lost."
    },
    exitCodeOnExecutionException = ExitCodes.EXEC_FAILED)
public final class ExecCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @ArgGroup Mode mode;

  @Mixin ExecOptions options;

  @Option(
      names = {"-cmd", "--cmd"},
      paramLabel = "COMMAND",
      description =
          "Command line split on whitespace, without quoting; used when no ARGV is given.")
  String cmd;

  @Option(
      names = {"-raw", "--raw"},
      description = "Send the command's output to the terminal as is, control characters included.")
  boolean raw;

  @Parameters(paramLabel = "ARGV", description = "The command and its arguments, best after --.")
  List<String> argv = new ArrayList<>();

  /** How to wait for the command; streaming its raw output is the default. */
  static final class Mode {
    @Option(
        names = {"-async", "--async"},
        description = "Start the command, print its exec id and return at once.")
    boolean async;

    @Option(
        names = {"-sync", "--sync"},
        description = "Wait over plain HTTP, then print the output; needs no WebSocket.")
    boolean sync;

    @Option(
        names = {"-stream", "--stream"},
        description = "Print the command's events as JSON lines.")
    boolean stream;

    @Option(
        names = {"-stream-raw", "--stream-raw"},
        description = "Print stdout and stderr as they come (the default).")
    boolean streamRaw;
  }

  @Override
  public Integer call() throws IOException {
    List<String> command = command();
    var globals = GlobalOptions.of(spec);
    boolean sync = mode != null && mode.sync;
    String request = options.request(command, !sync, globals.in());
    if (mode != null && mode.async) {
      return start(globals, request);
    }
    if (sync) {
      return sync(globals, request);
    }
    return stream(globals, request, (mode != null && mode.stream) || globals.json());
  }

  private int start(GlobalOptions globals, String request) {
    String response = globals.client().exec(sandbox.id, request, false);
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var started = Json.object(response);
    String execId = Json.text(started.get("exec_id"));
    globals.out().line("exec_id=" + execId + " status=" + Json.text(started.get("status")));
    return ExitCodes.OK;
  }

  private int sync(GlobalOptions globals, String request) {
    String response = globals.client().exec(sandbox.id, request, true);
    var result = Json.object(response);
    var out = shown(globals.out(), globals.terminal().stdout());
    if (globals.json()) {
      out.document(response);
    } else {
      print(out, result, "stdout");
      print(shown(globals.err(), globals.terminal().stderr()), result, "stderr");
    }
    return ExecOutcome.exitCode(result, globals.err());
  }

  // Where the command's output goes: escaped for a person, unchanged for a pipe, a file or -raw.
  private Printer shown(Printer printer, boolean terminal) {
    return terminal && !raw ? printer.escapingControls() : printer;
  }

  private static void print(Printer target, Map<String, Object> result, String stream) {
    ExecEvents.write(target, result.get(stream), result.get(stream + "_encoding"));
  }

  private int stream(GlobalOptions globals, String request, boolean jsonLines) {
    var client = globals.client();
    String execId = Json.text(Json.object(client.exec(sandbox.id, request, false)).get("exec_id"));
    if (execId.isEmpty()) {
      throw new ExecFailedException("the control plane did not return an exec_id");
    }
    var terminal = globals.terminal();
    var events =
        new ExecEvents(
            execId,
            shown(globals.out(), terminal.stdout()),
            shown(globals.err(), terminal.stderr()),
            jsonLines);
    try (var canceler = ExecCanceler.install(client, sandbox.id, execId, globals.err())) {
      return new ExecStream(client, sandbox.id, execId, events, Backoff.system()).follow();
    }
  }

  private List<String> command() {
    if (!argv.isEmpty()) {
      return argv;
    }
    var words = new ArrayList<String>();
    // StringTokenizer rather than split("\\s+"): no regex engine to load for one split.
    for (var tokens = new StringTokenizer(cmd == null ? "" : cmd); tokens.hasMoreTokens(); ) {
      words.add(tokens.nextToken());
    }
    if (words.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "a command is required (sbx exec -id ID -- CMD...)");
    }
    return words;
  }
}
