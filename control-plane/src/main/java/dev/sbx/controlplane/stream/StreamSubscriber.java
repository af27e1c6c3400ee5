package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.EventLog;
import dev.sbx.controlplane.exec.ExecEvent;
import dev.sbx.controlplane.exec.Subscriber;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One WebSocket subscriber. Events wait in its own bounded queue and are sent from a pool thread,
 * so a slow client never slows the exec or other subscribers; a client that falls too far behind is
 * closed with the seq to resume from rather than silently losing events.
 */
final class StreamSubscriber implements Subscriber, OpenStream {

  /** Close code for a subscriber that fell behind; the reason says where to resume. */
  static final CloseStatus TOO_SLOW = new CloseStatus(4008);

  private final EventSender out;
  private final @Nullable String execId;
  private final int queueLimit;
  private final Executor sender;
  private final Runnable onDropped;
  private final ArrayDeque<ExecEvent> queue = new ArrayDeque<>();
  private long backlogBytes; // guarded by this: weight of the queued events and the one in flight
  private boolean draining; // guarded by this
  private boolean done; // guarded by this
  private @Nullable CloseStatus closing; // guarded by this

  StreamSubscriber(
      WebSocketSession session,
      @Nullable String execId,
      int queueLimit,
      Executor sender,
      Runnable onDropped) {
    this.onDropped = onDropped;
    this.out = new EventSender(session);
    this.execId = execId;
    this.queueLimit = queueLimit;
    this.sender = sender;
  }

  @Override
  public synchronized boolean offer(ExecEvent event) {
    if (done) {
      return false;
    }
    if (queue.size() >= queueLimit) {
      var resumeFrom = queue.isEmpty() ? event.seq() : queue.peekFirst().seq();
      closeAfterQueue(TOO_SLOW.withReason("too slow; resume with from_seq=" + resumeFrom));
      onDropped.run();
      queue.clear();
      backlogBytes = 0;
      return false;
    }
    queue.addLast(event);
    backlogBytes += event.weight();
    startDraining();
    return true;
  }

  @Override
  public synchronized boolean behind() {
    return backlogBytes >= EventLog.BEHIND_BYTES || queue.size() >= Math.max(1, queueLimit / 2);
  }

  @Override
  public synchronized void logClosed() {
    closeAfterQueue(CloseStatus.GOING_AWAY.withReason("sandbox deleted"));
  }

  @Override
  public synchronized void disconnected() {
    done = true;
    queue.clear();
    backlogBytes = 0;
  }

  @Override
  public void ping() {
    out.ping();
  }

  private void closeAfterQueue(CloseStatus status) {
    done = true;
    closing = status;
    startDraining();
  }

  private void startDraining() {
    if (!draining) {
      draining = true;
      sender.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      ExecEvent event;
      CloseStatus close = null;
      synchronized (this) {
        event = queue.pollFirst();
        if (event == null) {
          draining = false;
          close = closing;
          closing = null;
          if (close == null) {
            return;
          }
        }
      }
      if (event == null) {
        out.close(close);
        return;
      }
      boolean sent = out.sendJson(event);
      synchronized (this) {
        backlogBytes = Math.max(0, backlogBytes - event.weight());
      }
      if (!sent) {
        disconnected();
        return;
      }
      if (execId != null && event.isExit() && execId.equals(event.execId())) {
        disconnected();
        out.close(CloseStatus.NORMAL);
        return;
      }
    }
  }
}
