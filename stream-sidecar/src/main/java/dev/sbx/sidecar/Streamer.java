package dev.sbx.sidecar;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Moves exec output from the events folder to the control plane, one connection at a time. At most
 * {@link #WINDOW} frames wait for an answer, so a slow control plane slows the sidecar down instead
 * of making anything pile up.
 */
final class Streamer {

  /** Frames sent and not answered yet, at most: with 64 KiB chunks, 1 MiB of output. */
  static final int WINDOW = 16;

  private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long WAITING_PING_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long IDLE_PING_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Execs execs;
  private final Wakeup wakeup;
  private final Frames frames = new Frames();
  private final ArrayDeque<Event> unanswered = new ArrayDeque<>(WINDOW);
  private long lastSend;
  private long answers;

  Streamer(EventsFolder folder, Wakeup wakeup) {
    this.execs = new Execs(folder);
    this.wakeup = wakeup;
  }

  /** How many answers came back so far, over all connections. */
  long answers() {
    return answers;
  }

  /** Streams over a connection until it ends or stopping says so, and returns why it ended. */
  String run(IngestConnection connection, BooleanSupplier stopping) throws InterruptedException {
    unanswered.clear();
    execs.rewind();
    lastSend = System.nanoTime();
    try {
      while (!stopping.getAsBoolean()) {
        // The close first, then the answers: every answer that came before the close is queued
        // by then, and counts.
        String closed = connection.closeReason();
        readAnswers(connection);
        if (closed != null) {
          return closed;
        }
        execs.discover(this::isUnanswered);
        send(connection);
        keepAlive(connection);
        long nextCheck = Math.min(execs.nextScan(), lastSend + pingInterval());
        wakeup.await(Math.max(0, nextCheck - System.nanoTime()));
      }
      return "stopping";
    } catch (IOException e) {
      String closed = connection.closeReason();
      takeLastAnswers(connection);
      return closed != null ? closed : e.getMessage();
    }
  }

  /**
   * Takes in the answers that came before the connection failed (a send fails only once the close
   * was seen): each one is progress that the next connection need not repeat.
   */
  private void takeLastAnswers(IngestConnection connection) {
    try {
      readAnswers(connection);
    } catch (IOException e) {
      // A confused control plane: what was read up to here stands.
    }
  }

  private void readAnswers(IngestConnection connection) throws IOException {
    for (String text = connection.poll(); text != null; text = connection.poll()) {
      Answer answer;
      try {
        answer = Answer.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IOException("unreadable answer from the control plane: " + e.getMessage());
      }
      String type = answer.type();
      if ("ack".equals(type)) {
        acknowledged(answer);
      } else if ("error".equals(type)) {
        refused(answer);
      } else {
        Log.info("ignoring an answer of type %s from the control plane", type);
      }
    }
  }

  private void acknowledged(Answer ack) throws IOException {
    var event = unanswered.peek();
    if (event == null || !event.matches(ack)) {
      // Our progress would go wrong from here; a new connection starts from what is certain.
      throw new IOException("acknowledgement " + ack + " does not match the frame sent: " + event);
    }
    answered(event, ack.seq() == null ? 0L : ack.seq());
  }

  private void refused(Answer error) {
    var event = unanswered.peek();
    if (event == null) {
      Log.info("control plane error: %s", error.detail());
      return;
    }
    // The control plane refuses only what it would refuse again: skip the event and go on.
    Log.info("control plane refused the %s: %s", event, error.detail());
    answered(event, null);
  }

  private void answered(Event event, Long seq) {
    unanswered.remove();
    answers++;
    var exec = event.exec();
    exec.answered(event, seq);
    if (exec.finished()) {
      execs.finish(exec);
    }
  }

  private boolean isUnanswered(ExecTail exec) {
    return unanswered.stream().anyMatch(event -> event.exec() == exec);
  }

  /** Sends frames round-robin over the execs until the window is full or nothing is left. */
  private void send(IngestConnection connection) throws IOException, InterruptedException {
    boolean sentAny = true;
    while (sentAny && unanswered.size() < WINDOW) {
      sentAny = false;
      for (var exec : execs.all()) {
        if (unanswered.size() >= WINDOW) {
          break;
        }
        var event = next(exec);
        if (event != null) {
          connection.send(frames.frame());
          unanswered.add(event);
          lastSend = event.sentNanos();
          sentAny = true;
        }
      }
    }
  }

  private Event next(ExecTail exec) {
    try {
      return exec.next(frames);
    } catch (IOException e) {
      exec.report(e.toString());
      return null;
    }
  }

  /**
   * Notices a control plane that went away unnoticed. The JDK's WebSocket can miss the end of the
   * input when it comes right behind a message, and a half-open TCP connection says nothing at all;
   * a write fails, though, once the peer is gone. So while answers are due it pings every {@link
   * #WAITING_PING_NANOS}, and when idle now and then, which also keeps proxies from closing the
   * connection.
   */
  private void keepAlive(IngestConnection connection) throws IOException, InterruptedException {
    long now = System.nanoTime();
    var oldest = unanswered.peek();
    if (oldest != null && now - oldest.sentNanos() > ANSWER_TIMEOUT_NANOS) {
      throw new IOException("no answer from the control plane for 30 s");
    }
    if (now - lastSend >= pingInterval()) {
      connection.ping();
      lastSend = now;
    }
  }

  private long pingInterval() {
    return unanswered.isEmpty() ? IDLE_PING_NANOS : WAITING_PING_NANOS;
  }
}
