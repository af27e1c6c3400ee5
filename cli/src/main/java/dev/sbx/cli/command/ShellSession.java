package dev.sbx.cli.command;

import dev.sbx.cli.client.ApiException;
import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.client.ControlPlaneUnreachableException;
import dev.sbx.cli.client.ExecSummary;
import dev.sbx.cli.client.WebSocketClient;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Printer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One terminal session as {@code sbx shell} sees it, over {@code /sandboxes/{id}/tty}: output is
 * written as it comes, what is typed goes out from a thread of its own, window changes become
 * resize messages, and a dropped connection is reattached with the exec id, where the output
 * stopped.
 */
final class ShellSession {

  private static final int INPUT_CHUNK = 4096;
  private static final byte END_OF_TRANSMISSION = 4; // ^D: what ends input on a terminal
  private static final int EXEC_FINISHED = 409;

  private final ControlPlaneClient client;
  private final String sandboxId;
  private final WindowSize window;
  private final InputStream in;
  private final OutputStream out;
  private final Printer err;
  private final Backoff backoff;
  private final Object lock = new Object();
  private WebSocketClient socket; // guarded by lock: the open connection, null between two
  private boolean over; // guarded by lock
  private String execId;
  // The output offset of the next byte to come, so that a reconnection resumes right there;
  // -1 while unknown (attached to the recent output of a server that does not say where it began).
  private long position = -1;
  private String failure;
  private Thread typing;

  ShellSession(
      ControlPlaneClient client,
      String sandboxId,
      WindowSize window,
      InputStream in,
      OutputStream out,
      Printer err,
      Backoff backoff) {
    this.client = client;
    this.sandboxId = sandboxId;
    this.window = window;
    this.in = in;
    this.out = out;
    this.err = err;
    this.backoff = backoff;
  }

  /**
   * Starts a session (with these {@code command}, {@code cwd}... parameters, escaped) or attaches
   * to {@code attach}, and follows it to its end.
   *
   * @return the exit message, {@code exit_code} and {@code status} as an exec reports them
   */
  Map<String, Object> run(String attach, String startQuery) {
    execId = attach;
    try {
      while (true) {
        boolean resuming = execId != null && position >= 0;
        long resumeAt = position;
        String problem;
        WebSocketClient current = null;
        try {
          String query = query(startQuery, resuming);
          current = client.openTerminal(sandboxId, query.isEmpty() ? "" : "?" + query);
          connected(current);
          var exit = read(current, attach == null && execId == null, resuming ? resumeAt : -1);
          if (exit != null) {
            current.close(); // the server closes with 1000 after the exit: answer it, briefly
            return exit;
          }
          problem = current.closeReason();
        } catch (ApiException e) {
          if (typing == null) {
            throw e; // refused at once: a bad id, a missing token, a runtime without terminals
          }
          if (e.status() == EXEC_FINISHED) {
            return endedMeanwhile();
          }
          if (e.status() < 500 && e.status() != 429) {
            throw e; // the sandbox is gone or we may not: waiting will not help
          }
          problem = e.getMessage();
        } catch (ControlPlaneUnreachableException e) {
          if (typing == null) {
            throw e;
          }
          problem = e.getMessage();
        } catch (IOException e) {
          problem = e.getMessage();
        } finally {
          disconnected(current);
        }
        if (execId == null) {
          // It never started: the server said why in an error message, or in its close.
          throw new ExecFailedException(
              "the terminal session did not start: " + (failure != null ? failure : problem));
        }
        if (!backoff.pause()) {
          throw new ExecFailedException(
              "the terminal session broke off"
                  + (problem == null || problem.isEmpty() ? "" : ": " + problem)
                  + "; join it again within the server's grace: sbx shell -id "
                  + sandboxId
                  + " -attach "
                  + execId);
        }
      }
    } finally {
      synchronized (lock) {
        over = true;
        lock.notifyAll();
      }
    }
  }

  private String query(String startQuery, boolean resuming) {
    var query = new StringBuilder();
    var size = window.current();
    if (size != null) {
      query.append("cols=").append(size.cols()).append("&rows=").append(size.rows());
    }
    if (execId == null) {
      return join(query, startQuery);
    }
    join(query, "exec_id=" + ShellCommand.encode(execId));
    // Without an offset the server sends the recent output first, to redraw a screen from.
    return resuming ? join(query, "offset=" + position) : query.toString();
  }

  private static String join(StringBuilder query, String more) {
    if (!more.isEmpty()) {
      query.append(query.length() > 0 ? "&" : "").append(more);
    }
    return query.toString();
  }

  private void connected(WebSocketClient current) {
    synchronized (lock) {
      socket = current;
      lock.notifyAll();
    }
    if (typing == null) {
      typing = new Typing();
      typing.start();
      window.follow(
          new Runnable() {
            @Override
            public void run() {
              resized();
            }
          });
    }
  }

  private void disconnected(WebSocketClient current) {
    if (current == null) {
      return;
    }
    synchronized (lock) {
      if (socket == current) {
        socket = null;
      }
    }
    current.abort();
  }

  private Map<String, Object> read(WebSocketClient current, boolean starting, long resumeAt)
      throws IOException {
    for (var message = current.next(); message != null; message = current.next()) {
      if (message.binary()) {
        out.write(message.payload());
        out.flush();
        if (position >= 0) {
          position += message.payload().length;
        }
        backoff.reset();
        continue;
      }
      var control = Json.object(message.text());
      switch (Json.text(control.get("type"))) {
        case "started" -> started(control, starting, resumeAt);
        case "exit" -> {
          return control;
        }
        case "error" -> error(Json.text(control.get("detail")));
        default -> {} // a newer server's message: nothing this client acts on
      }
    }
    return null;
  }

  private void started(Map<String, Object> control, boolean starting, long resumeAt) {
    execId = Json.text(control.get("exec_id"));
    backoff.reset();
    // A server that says where its first byte of output lies is believed; else a new session
    // starts at 0, a resumed one where it was asked to, and recent output is somewhere unknown.
    position =
        control.get("offset") instanceof Number offset
            ? offset.longValue()
            : starting ? 0 : resumeAt;
  }

  private void error(String detail) {
    if (execId == null) {
      failure = detail;
      return;
    }
    // The local terminal may be raw, where a line feed does not return the carriage.
    err.raw("sbx: " + detail + (window == WindowSize.NONE ? "\n" : "\r\n"));
  }

  // A 409 on reattaching: the session ended while we were away. Show the output we missed, if we
  // know where it began, and end as it did.
  private Map<String, Object> endedMeanwhile() {
    if (position >= 0) {
      client.output(
          sandboxId,
          execId,
          "stdout",
          position,
          false,
          new ControlPlaneClient.OutputSink() {
            @Override
            public void write(byte[] chunk, int length) {
              try {
                out.write(chunk, 0, length);
                out.flush();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          });
    }
    for (var exec : ExecSummary.listOf(client.listExecs(sandboxId))) {
      if (exec.execId().equals(execId) && !exec.exitCode().isEmpty()) {
        var exit = new LinkedHashMap<String, Object>();
        exit.put("exit_code", Integer.valueOf(exec.exitCode()));
        exit.put("status", exec.status());
        return exit;
      }
    }
    throw new ExecFailedException("the terminal session ended while sbx was reconnecting");
  }

  private void resized() {
    var size = window.current();
    WebSocketClient current;
    synchronized (lock) {
      current = socket;
    }
    if (size != null && current != null) {
      try {
        current.sendText(
            "{\"type\":\"resize\",\"cols\":" + size.cols() + ",\"rows\":" + size.rows() + "}");
      } catch (IOException e) {
        // the connection broke: the reconnection tells the size it has then
      }
    }
  }

  /**
   * Sends typed bytes on the open connection, waiting through a reconnection rather than losing
   * them; false once the session is over.
   */
  private boolean send(byte[] bytes) {
    while (true) {
      WebSocketClient current;
      synchronized (lock) {
        while (socket == null && !over) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        if (over) {
          return false;
        }
        current = socket;
      }
      try {
        current.sendBinary(bytes);
        return true;
      } catch (IOException e) {
        // Broken: aborting it ends the reader's wait too, and the reader reconnects.
        disconnected(current);
      }
    }
  }

  /** Sends what is typed; at the end of a piped stdin, the ^D a terminal would send. */
  private final class Typing extends Thread {
    Typing() {
      super("sbx-shell-input");
      setDaemon(true);
    }

    @Override
    public void run() {
      var buffer = new byte[INPUT_CHUNK];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (n > 0 && !send(Arrays.copyOf(buffer, n))) {
            return;
          }
        }
        if (window == WindowSize.NONE) {
          send(new byte[] {END_OF_TRANSMISSION});
        }
      } catch (IOException e) {
        // stdin closed: nothing more to type
      }
    }
  }
}
