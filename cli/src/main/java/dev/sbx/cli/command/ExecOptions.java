package dev.sbx.cli.command;

import dev.sbx.cli.output.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How the command of {@code sbx exec} runs: time limit, environment, directory and stdin. */
final class ExecOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-timeout", "--timeout"},
      paramLabel = "SECONDS",
      description = "Stop the command, and everything it started, after this many seconds.")
  Long timeoutSeconds;

  @Option(
      names = {"-env", "--env"},
      paramLabel = "KEY=VALUE",
      description = "Environment variable for the command; repeatable.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-cwd", "--cwd"},
      paramLabel = "DIR",
      description = "Working directory in the sandbox (default: /workspace).")
  String cwd;

  @Option(
      names = {"-i", "--stdin"},
      description = {
        "Read all of sbx's standard input, up to EOF, and give it to the command.",
        "Without it the command reads an empty stdin. The server takes at most 1 MiB of "
            + "request, about 750 KiB of input."
      })
  boolean stdin;

  /** The exec request as JSON; reads all of {@code in} when {@code -i} was given. */
  String request(List<String> command, boolean async, InputStream in) throws IOException {
    var body = new LinkedHashMap<String, Object>();
    body.put("command", command);
    body.put("async", async);
    if (timeoutSeconds != null) {
      if (timeoutSeconds <= 0) {
        throw new ParameterException(
            spec.commandLine(),
            "invalid -timeout " + timeoutSeconds + " (expected a number of seconds > 0)");
      }
      body.put("timeout_seconds", timeoutSeconds);
    }
    if (!env.isEmpty()) {
      body.put("env", EnvPairs.parse(spec, env));
    }
    if (cwd != null && !cwd.isEmpty()) {
      body.put("cwd", cwd);
    }
    // Bytes, not text: stdin may be a tarball or an image as well as a script.
    if (stdin) {
      body.put("stdin_base64", Base64.getEncoder().encodeToString(in.readAllBytes()));
    }
    return Json.write(body);
  }
}
