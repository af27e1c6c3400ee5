package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sbx shell}: an interactive terminal in a sandbox, over {@code /sandboxes/{id}/tty}. */
@Command(
    name = "shell",
    description = "Open an interactive terminal in a sandbox (its user's login shell by default).",
    footerHeading = "%n",
    footer = {
      "On a terminal, sbx puts it in raw mode (every key goes to the sandbox, Ctrl-C included),"
          + " follows its window size, and restores it on the way out. Output is passed to the"
          + " terminal as is: that is what a terminal session is for. With stdin from a pipe, its"
          + " bytes are typed into the session, then a ^D.",
      "",
      "If the connection breaks, sbx reconnects to the same session and goes on where its output"
          + " stopped; the session waits SANDBOX_TTY_DETACH_GRACE (60 s) for a client. -attach E"
          + " joins a running session from anywhere, after the recent output.",
      "",
      "Exit status: the remote command's; 255 when sbx failed itself or the session was lost."
    },
    exitCodeOnExecutionException = ExitCodes.EXEC_FAILED)
public final class ShellCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Option(
      names = {"-attach", "--attach"},
      paramLabel = "EXEC_ID",
      description = "Join this running terminal session instead of starting one.")
  String attach;

  @Option(
      names = {"-cwd", "--cwd"},
      paramLabel = "DIR",
      description = "Working directory in the sandbox.")
  String cwd;

  @Option(
      names = {"-env", "--env"},
      paramLabel = "KEY=VALUE",
      description = "Environment variable for the session; repeatable. TERM is sbx's own.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-timeout", "--timeout"},
      paramLabel = "SECONDS",
      description = "End the session after this many seconds.")
  Integer timeout;

  @Parameters(paramLabel = "CMD", description = "The command to run instead of the shell.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    var globals = GlobalOptions.of(spec);
    if (attach != null
        && (!command.isEmpty() || cwd != null || !env.isEmpty() || timeout != null)) {
      throw new ParameterException(
          spec.commandLine(),
          "-attach joins a running session: no command, -cwd, -env or -timeout");
    }
    var variables = EnvPairs.parse(spec, env);
    String term = globals.env("TERM");
    if (term != null && !term.isEmpty() && !variables.containsKey("TERM")) {
      variables.put("TERM", term);
    }
    boolean interactive = globals.terminal().stdout() && isTerminal(0);
    var session =
        new ShellSession(
            globals.client(),
            sandbox.id,
            interactive ? WindowSize.ofTerminal() : WindowSize.NONE,
            globals.in(),
            output(globals),
            globals.err(),
            Backoff.system());
    Map<String, Object> exit;
    RawTerminal raw = interactive ? RawTerminal.enter() : null;
    try {
      exit = session.run(attach, query(variables));
    } finally {
      if (raw != null) {
        raw.close();
      }
    }
    // After the terminal is itself again, so that a "command canceled" line ends where it should.
    return ExecOutcome.exitCode(exit, globals.err());
  }

  // The real stdout when sbx runs as itself, unbuffered: keystroke echoes must show at once.
  private static OutputStream output(GlobalOptions globals) {
    return globals.terminal().stdout()
        ? new FileOutputStream(FileDescriptor.out)
        : new PrinterStream(globals);
  }

  private String query(Map<String, Object> variables) {
    var query = new StringBuilder();
    for (var arg : command) {
      query.append("&command=").append(encode(arg));
    }
    if (cwd != null) {
      query.append("&cwd=").append(encode(cwd));
    }
    for (var variable : variables.entrySet()) {
      query.append("&env=").append(encode(variable.getKey() + "=" + variable.getValue()));
    }
    if (timeout != null) {
      query.append("&timeout_seconds=").append(timeout);
    }
    return query.length() == 0 ? "" : query.substring(1);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean isTerminal(int fd) {
    try {
      var target = new File("/proc/self/fd/" + fd).getCanonicalPath();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException e) {
      return false;
    }
  }

  /** sbx's stdout when it is not a real file descriptor (sbx run in-process, in tests). */
  private static final class PrinterStream extends OutputStream {
    private final GlobalOptions globals;

    PrinterStream(GlobalOptions globals) {
      this.globals = globals;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
      var bytes = new byte[length];
      System.arraycopy(data, offset, bytes, 0, length);
      globals.out().bytes(bytes);
    }
  }
}
