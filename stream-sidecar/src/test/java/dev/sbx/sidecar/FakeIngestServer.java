package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The control plane's ingest endpoint, as far as the sidecar can tell: it checks the bearer token,
 * publishes what it receives as {@link PublishedExec}s, and answers in ways the test controls.
 */
final class FakeIngestServer implements AutoCloseable {

  static final String TOKEN = "s3cret-ingest-token";
  static final String SANDBOX = "sbx-test";

  /** How the server ends a connection. */
  enum Drop {
    /** A close frame, as a control plane that shuts down sends. */
    CLOSE_FRAME,
    /** The end of the TCP stream without a close frame, as from a control plane that crashed. */
    ABRUPT
  }

  private final ServerSocket server;
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private final List<Connection> connections = new ArrayList<>();
  private final Map<String, PublishedExec> execs = new HashMap<>();
  private final List<Map<String, Object>> received = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Runnable> held = new ArrayList<>();
  private boolean down;
  private int turnedAway;
  private int handshakes;
  private int refusedHandshakes;
  private int maxUnanswered;
  private int maxFrameBytes;
  private long answerDelayMillis;
  private Predicate<Map<String, Object>> holdWhen = frame -> false;
  private Predicate<Map<String, Object>> dropWhen = frame -> false;
  private Drop dropHow;
  private Predicate<Map<String, Object>> refuseWhen = frame -> false;

  FakeIngestServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop, "fake-ingest-accept").start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/";
  }

  synchronized void answerDelay(Duration delay) {
    answerDelayMillis = delay.toMillis();
  }

  /** From the first frame matching, answers wait until {@link #releaseAnswers()}. */
  synchronized void holdAnswersFrom(Predicate<Map<String, Object>> when) {
    holdWhen = when;
  }

  synchronized void releaseAnswers() {
    holdWhen = frame -> false;
    held.forEach(Runnable::run);
    held.clear();
  }

  /** Ends the connection, unanswered, at the first frame matching (once). */
  synchronized void dropConnectionAt(Drop how, Predicate<Map<String, Object>> when) {
    dropHow = how;
    dropWhen = when;
  }

  /** Answers frames matching with an error instead of publishing them. */
  synchronized void refuse(Predicate<Map<String, Object>> when) {
    refuseWhen = when;
  }

  /**
   * Crashes the control plane: connections end and what it knew of execs is gone. Until {@link
   * #start()} it turns connections away, as while it restarts. (It keeps its port: binding a
   * just-closed port again is not reliable.)
   */
  synchronized void stop() {
    down = true;
    connections.forEach(connection -> connection.socket.close());
    connections.clear();
    execs.clear();
    held.clear();
  }

  synchronized void start() {
    down = false;
  }

  synchronized PublishedExec exec(String id) {
    return execs.get(id);
  }

  /** Connections whose sidecar has not gone yet. */
  synchronized long openConnections() {
    return connections.stream().filter(connection -> !connection.ended).count();
  }

  synchronized List<Map<String, Object>> received() {
    return List.copyOf(received);
  }

  /** What the sidecar did that it should not have. */
  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized int handshakes() {
    return handshakes;
  }

  synchronized int refusedHandshakes() {
    return refusedHandshakes;
  }

  synchronized int turnedAway() {
    return turnedAway;
  }

  /** The most frames one connection had unanswered at a time. */
  synchronized int maxUnanswered() {
    return maxUnanswered;
  }

  synchronized int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** Waits until the condition, read under the server's lock, holds. */
  synchronized void awaitUntil(String what, Predicate<FakeIngestServer> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(this)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "timed out waiting for " + what + "; received " + summary() + "; " + violations);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  void awaitExit(String execId) throws InterruptedException {
    awaitUntil(
        "the exit of " + execId,
        s -> s.execs.containsKey(execId) && s.execs.get(execId).exitCode != null,
        Duration.ofSeconds(20));
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (this) {
      connections.forEach(connection -> connection.socket.close());
    }
    later.shutdownNow();
  }

  private void acceptLoop() {
    try {
      while (true) {
        var connection = new Connection(new FakeWebSocket(server.accept()));
        synchronized (this) {
          if (down) {
            turnedAway++;
            notifyAll();
            connection.socket.close();
            continue;
          }
          connections.add(connection);
        }
        daemon(connection::run, "fake-ingest-connection").start();
      }
    } catch (IOException e) {
      // Closed.
    }
  }

  private synchronized boolean accept(String requestLine, Map<String, String> headers) {
    boolean ok =
        requestLine.equals("GET /sandboxes/" + SANDBOX + "/ingest HTTP/1.1")
            && ("Bearer " + TOKEN).equals(headers.get("authorization"));
    if (ok) {
      handshakes++;
    } else {
      refusedHandshakes++;
    }
    notifyAll();
    return ok;
  }

  private void onMessage(Connection connection, String text) {
    Runnable answer;
    synchronized (this) {
      maxFrameBytes = Math.max(maxFrameBytes, text.getBytes(UTF_8).length);
      var frame = Frame.parse(text);
      received.add(frame);
      notifyAll();
      if (dropWhen.test(frame)) {
        dropWhen = f -> false;
        connection.drop(dropHow);
        return;
      }
      answer = connection.answer(refuseWhen.test(frame) ? refusal(frame) : publish(frame));
      maxUnanswered = Math.max(maxUnanswered, ++connection.unanswered);
      if (holdWhen.test(frame) || !held.isEmpty()) {
        holdWhen = f -> true;
        held.add(answer);
        return;
      }
    }
    if (answerDelayMillis > 0) {
      later.schedule(answer, answerDelayMillis, TimeUnit.MILLISECONDS);
    } else {
      answer.run();
    }
  }

  private PublishedExec.Ack refusal(Map<String, Object> frame) {
    String error =
        "{\"type\":\"error\",\"exec_id\":\"" + frame.get("exec_id") + "\",\"detail\":\"refused\"}";
    return new PublishedExec.Ack(error, () -> {});
  }

  private PublishedExec.Ack publish(Map<String, Object> frame) {
    long resumeSeq = (Long) frame.get("resume_seq");
    var exec =
        execs.computeIfAbsent((String) frame.get("exec_id"), id -> new PublishedExec(resumeSeq));
    return exec.publish(frame, violations);
  }

  /** The frames received, without their data, for failure messages. */
  private String summary() {
    var frames = new ArrayList<String>();
    for (var frame : received) {
      frames.add(
          frame.get("type")
              + " "
              + frame.getOrDefault("stream", "")
              + frame.getOrDefault("offset", ""));
    }
    return frames.toString();
  }

  private static Thread daemon(Runnable task, String name) {
    var thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /** One sidecar's connection: frames in, answers out. */
  private final class Connection {

    final FakeWebSocket socket;
    int unanswered;
    boolean dropped;
    boolean ended; // the sidecar's end of it is gone: an answer now reaches nobody

    Connection(FakeWebSocket socket) {
      this.socket = socket;
    }

    void run() {
      try (socket) {
        if (!socket.handshake(FakeIngestServer.this::accept)) {
          return;
        }
        for (String text = socket.readText(); text != null; text = socket.readText()) {
          if (!isDropped()) {
            onMessage(this, text);
          }
        }
      } catch (IOException e) {
        // Dropped, or the sidecar went away.
      } finally {
        synchronized (FakeIngestServer.this) {
          ended = true;
          if (socket.sawUnmaskedFrame()) {
            violations.add("an unmasked client frame");
          }
          FakeIngestServer.this.notifyAll();
        }
      }
    }

    /** Sends an answer; once written, the sidecar can have seen it. */
    Runnable answer(PublishedExec.Ack ack) {
      return () -> {
        synchronized (FakeIngestServer.this) {
          unanswered--;
          if (dropped || ended) {
            return; // never counted as seen by a sidecar that was gone
          }
        }
        try {
          socket.sendText(ack.text());
          synchronized (FakeIngestServer.this) {
            ack.onWritten().run();
            FakeIngestServer.this.notifyAll();
          }
        } catch (IOException e) {
          // The sidecar is gone; it sends again what it did not see acknowledged.
        }
      };
    }

    /** Ends the connection without answering; called under the server's lock. */
    void drop(Drop how) {
      dropped = true;
      try {
        if (how == Drop.CLOSE_FRAME) {
          socket.sendClose(1001);
        } else {
          socket.endAbruptly();
        }
      } catch (IOException e) {
        // Gone already.
      }
    }

    private boolean isDropped() {
      synchronized (FakeIngestServer.this) {
        return dropped;
      }
    }
  }
}
