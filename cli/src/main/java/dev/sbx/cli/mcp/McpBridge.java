package dev.sbx.cli.mcp;

import dev.sbx.cli.output.Printer;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code sbx mcp}: the MCP stdio transport on one side (a JSON-RPC message per line on stdin and
 * stdout), the control plane's Streamable HTTP {@code /mcp} on the other.
 *
 * <p>Requests are sent concurrently, each on a thread of its own, so that a long {@code
 * run_command} holds up neither a {@code cancel_command} nor a ping. Notifications and responses
 * are sent in the order they came, one after the other, as is {@code initialize}: the server must
 * see {@code notifications/initialized} before what follows it, and every request needs the session
 * id that initialize brings.
 */
public final class McpBridge {

  /** The largest message taken from stdin or from the server. */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  /** Requests answered at once; more are refused with an error rather than queued unseen. */
  static final int MAX_IN_FLIGHT = 64;

  // At the end of stdin, how long answers still on their way may take before sbx exits.
  private static final long DRAIN_SECONDS = 10;
  // Bounds on the session's DELETE: at the end of stdin, and from a SIGTERM, which must be quick.
  private static final int DELETE_TIMEOUT_MILLIS = 5_000;
  private static final int DELETE_ON_SIGNAL_TIMEOUT_MILLIS = 1_000;
  // Notifications and responses are answered with 202 at once; initialize is quick too.
  private static final int IN_ORDER_TIMEOUT_MILLIS = 60_000;

  private final McpEndpoint endpoint;
  private final InputStream in;
  private final Output output;
  private final Session session = new Session();
  private final Forwarder forwarder;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final ExecutorService requests = Executors.newCachedThreadPool(McpBridge::daemon);
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param url the control plane's {@code /mcp} URL
   * @param token bearer token, or null for none
   */
  public McpBridge(String url, String token, InputStream in, Printer out, Printer err) {
    this.endpoint = new McpEndpoint(url, token);
    this.in = in;
    this.output = new Output(out, err);
    this.forwarder = new Forwarder(endpoint, session, output, MAX_MESSAGE_BYTES);
  }

  /** Bridges until stdin ends, then closes the session on the server. */
  public void run() {
    // A SIGTERM or SIGINT ends the JVM at once; the hook only tells the server, briefly.
    var hook = new Thread(() -> closeSession(DELETE_ON_SIGNAL_TIMEOUT_MILLIS), "sbx-mcp-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      readUntilEnd();
      drain();
      closeSession(DELETE_TIMEOUT_MILLIS);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs or ran; it finds the session closed.
      }
    }
  }

  private void readUntilEnd() {
    var lines = new BoundedLines(in, MAX_MESSAGE_BYTES);
    while (true) {
      BoundedLines.Line line;
      try {
        line = lines.next();
      } catch (IOException e) {
        output.log("cannot read stdin: " + e.getMessage());
        return;
      }
      if (line == null) {
        return;
      }
      if (line.tooLong()) {
        // Its id may lie past the cut, so the error cannot name the request it answers.
        refuse(JsonRpc.INVALID_REQUEST, "a message on stdin was larger than 16 MiB: not sent");
      } else if (!line.text().isBlank()) {
        dispatch(line.text());
      }
    }
  }

  private void dispatch(String text) {
    JsonRpc.Message message;
    try {
      message = JsonRpc.parse(text);
    } catch (IllegalArgumentException e) {
      refuse(JsonRpc.PARSE_ERROR, "parse error: " + e.getMessage());
      return;
    }
    if (message.requestIds().isEmpty() || message.isInitialize()) {
      forwarder.forward(message, IN_ORDER_TIMEOUT_MILLIS);
      return;
    }
    if (!inFlight.tryAcquire()) {
      String reason = MAX_IN_FLIGHT + " requests are in flight already: this one was not sent";
      output.log(message.method() + ": " + reason);
      for (Object id : message.requestIds()) {
        output.message(JsonRpc.error(id, JsonRpc.SERVER_ERROR, reason));
      }
      return;
    }
    requests.execute(
        () -> {
          try {
            forwarder.forward(message, McpEndpoint.NO_TIMEOUT);
          } finally {
            inFlight.release();
          }
        });
  }

  private void refuse(int code, String reason) {
    output.log(reason);
    output.message(JsonRpc.error(null, code, reason));
  }

  private void drain() {
    requests.shutdown();
    try {
      if (!requests.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        output.log("stdin ended; requests still without an answer after 10 s are dropped");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeSession(int timeoutMillis) {
    if (session.id() == null || !closed.compareAndSet(false, true)) {
      return;
    }
    try {
      endpoint.delete(session, timeoutMillis);
    } catch (IOException e) {
      // Best effort: sbx is on its way out, and has no one left to tell.
    }
  }

  private static Thread daemon(Runnable task) {
    var thread = new Thread(task, "sbx-mcp-request");
    thread.setDaemon(true);
    return thread;
  }
}
