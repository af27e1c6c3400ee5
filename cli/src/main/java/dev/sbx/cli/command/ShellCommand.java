package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.ApiException;
import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.client.ControlPlaneUnreachableException;
import dev.sbx.cli.client.WebSocketClient;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Printer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
          + " terminal as is: that is what a terminal session is for.",
      "",
      "If the connection breaks, sbx reconnects to the same session and goes on where its output"
          + " stopped; the session waits SANDBOX_TTY_DETACH_GRACE (60 s) for a client. -attach E"
          + " joins a running session from anywhere, after the recent output.",
      "",
      "Exit status: the remote command's; 255 when sbx failed itself or the session was lost."
    },
    exitCodeOnExecutionException = ExitCodes.EXEC_FAILED)
public final class ShellCommand implements Callable<Integer> {

  private static final int INPUT_CHUNK = 4096;
  private static final byte END_OF_TEXT = 4; // ^D: what ends input on a terminal

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
    var client = globals.client();
    RawTerminal raw = interactive ? RawTerminal.enter() : null;
    Map<String, Object> exit;
    try {
      var session =
          new Session(
              client, sandbox.id, raw != null, globals.in(), output(globals), globals.err());
      exit = session.run(attach, query(variables));
    } finally {
      if (raw != null) {
        raw.close();
      }
    }
    // After the terminal is itself again, so that a line about the end prints as a line.
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
    return query.toString();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean isTerminal(int fd) {
    try {
      var target = new java.io.File("/proc/self/fd/" + fd).getCanonicalPath();
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

  /**
   * One terminal session as this client sees it: typed bytes go out from a thread of their own,
   * output is written as it comes, and a dropped connection is reattached at the byte where the
   * output stopped.
   */
  static final class Session {
    private final ControlPlaneClient client;
    private final String sandboxId;
    private final boolean interactive;
    private final InputStream in;
    private final OutputStream out;
    private final Printer err;
    private final Backoff backoff = Backoff.system();
    private volatile WebSocketClient socket;
    private String execId;
    private long shown; // output bytes written so far, to resume after

    Session(
        ControlPlaneClient client,
        String sandboxId,
        boolean interactive,
        InputStream in,
        OutputStream out,
        Printer err) {
      this.client = client;
      this.sandboxId = sandboxId;
      this.interactive = interactive;
      this.in = in;
      this.out = out;
      this.err = err;
    }

    /** Follows the session to its end; returns its exit message. */
    Map<String, Object> run(String attach, String startQuery) throws IOException {
      execId = attach;
      Thread typing = null;
      Thread resizes = null;
      while (true) {
        String problem;
        try {
          socket = client.openTerminal(sandboxId, "?" + query(startQuery));
          if (typing == null) {
            typing = daemon(this::type, "sbx-shell-input");
            resizes = interactive ? WindowSize.follow(this::resize) : null;
          }
          var exit = read(socket);
          if (exit != null) {
            return exit;
          }
          problem = socket.closeReason();
        } catch (ApiException e) {
          if (e.status() < 500 && e.status() != 429) {
            throw e; // the session or its sandbox is gone, or we may not: retrying will not help
          }
          problem = e.getMessage();
        } catch (IOException | ControlPlaneUnreachableException e) {
          problem = e.getMessage();
        } finally {
          if (socket != null) {
            socket.abort();
          }
        }
        if (execId == null || !backoff.pause()) {
          throw new ExecFailedException(
              "the terminal session broke off" + (problem == null ? "" : ": " + problem));
        }
      }
    }

    private String query(String startQuery) {
      int[] size = interactive ? RawTerminal.size() : null;
      var query = new StringBuilder();
      if (size != null) {
        query.append("cols=").append(size[0]).append("&rows=").append(size[1]);
      }
      if (execId != null) {
        query.append(query.length() > 0 ? "&" : "").append("exec_id=").append(encode(execId));
        // A reconnection resumes after the last byte shown; a first -attach gets the recent output.
        if (shown > 0 || socketWasOpen) {
          query.append("&offset=").append(shown);
        }
        return query.toString();
      }
      return query + startQuery;
    }

    private boolean socketWasOpen;

    private Map<String, Object> read(WebSocketClient socket) throws IOException {
      for (var message = socket.next(); message != null; message = socket.next()) {
        if (message.binary()) {
          out.write(message.payload());
          out.flush();
          shown += message.payload().length;
          backoff.reset();
          continue;
        }
        var control = Json.object(message.text());
        switch (Json.text(control.get("type"))) {
          case "started" -> {
            execId = Json.text(control.get("exec_id"));
            socketWasOpen = true;
          }
          case "exit" -> {
            return control;
          }
          // In raw mode a new line does not return the carriage by itself.
          case "error" ->
              err.raw("sbx: " + Json.text(control.get("detail")) + (interactive ? "\r\n" : "\n"));
          default -> {} // a newer server's message: nothing this client acts on
        }
      }
      return null;
    }

    /** Sends what is typed; at the end of a piped stdin, the ^D a terminal would send. */
    private void type() {
      var buffer = new byte[INPUT_CHUNK];
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (n > 0) {
            sendBinary(java.util.Arrays.copyOf(buffer, n));
          }
        }
        if (!interactive) {
          sendBinary(new byte[] {END_OF_TEXT});
        }
      } catch (IOException e) {
        // stdin closed: nothing more to type
      }
    }

    private void resize(int cols, int rows) {
      var current = socket;
      if (current != null) {
        try {
          current.sendText("{\"type\":\"resize\",\"cols\":" + cols + ",\"rows\":" + rows + "}");
        } catch (IOException e) {
          // the connection broke: the reconnection sends the size it has then
        }
      }
    }

    private void sendBinary(byte[] bytes) {
      // Typed while reconnecting: it waits for the new socket rather than being lost.
      for (int attempt = 0; attempt < 300; attempt++) {
        var current = socket;
        try {
          if (current != null) {
            current.sendBinary(bytes);
            return;
          }
        } catch (IOException e) {
          // the connection broke; the reader reconnects
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private static Thread daemon(Runnable body, String name) {
      var thread = new Thread(body, name);
      thread.setDaemon(true);
      thread.start();
      return thread;
    }
  }
}
