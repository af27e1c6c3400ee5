package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.StringTokenizer;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sbx exec}: runs a command in a sandbox and exits with the command's exit code. */
@Command(
    name = "exec",
    description = "Run a command in a sandbox, print its output as it comes, exit with its code.",
    exitCodeOnExecutionException = ExitCodes.EXEC_FAILED)
public final class ExecCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-id", "--id"},
      paramLabel = "ID",
      required = true,
      description = "Sandbox id.")
  String id;

  @ArgGroup Mode mode;

  @Option(
      names = {"-cmd", "--cmd"},
      paramLabel = "COMMAND",
      description =
          "Command line split on whitespace, without quoting; used when no ARGV is given.")
  String cmd;

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
    if (mode != null && mode.async) {
      return start(globals, command);
    }
    if (mode != null && mode.sync) {
      return sync(globals, command);
    }
    return stream(globals, command, (mode != null && mode.stream) || globals.json());
  }

  private int start(GlobalOptions globals, List<String> command) {
    String response = globals.client().exec(id, request(command, true), false);
    if (globals.json()) {
      globals.out().document(response);
    } else {
      var started = Json.object(response);
      String execId = Json.text(started.get("exec_id"));
      globals.out().line("exec_id=" + execId + " status=" + Json.text(started.get("status")));
    }
    return ExitCodes.OK;
  }

  private int sync(GlobalOptions globals, List<String> command) {
    String response = globals.client().exec(id, request(command, false), true);
    var result = Json.object(response);
    if (globals.json()) {
      globals.out().document(response);
    } else {
      globals.out().raw(Json.text(result.get("stdout")));
      globals.err().raw(Json.text(result.get("stderr")));
    }
    return ExecStream.exitCode(result.get("exit_code"));
  }

  private int stream(GlobalOptions globals, List<String> command, boolean jsonLines)
      throws IOException {
    var client = globals.client();
    // Subscribe before starting the command, so that not even its first event can be missed.
    try (var socket = client.openStream(id)) {
      var started = Json.object(client.exec(id, request(command, true), false));
      String execId = Json.text(started.get("exec_id"));
      if (execId.isEmpty()) {
        throw new IOException("the control plane did not return an exec_id");
      }
      return new ExecStream(socket, globals.out(), globals.err(), jsonLines).follow(execId);
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

  private static String request(List<String> command, boolean async) {
    var body = new LinkedHashMap<String, Object>();
    body.put("command", command);
    body.put("async", async);
    return Json.write(body);
  }
}
