package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.EventLog;
import dev.sbx.controlplane.exec.ExecEvent;
import dev.sbx.controlplane.exec.FollowStep;
import dev.sbx.controlplane.exec.OutputChunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executor;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One subscriber of one exec. It keeps only its position: each time the exec publishes, or once its
 * last send is done, it asks the log for the next event, which comes from memory when recent and
 * from the sandbox's output store otherwise. So a client that reads slowly is paced by its own
 * socket, holds no queue in the heap, and is never dropped while the store has its next byte.
 *
 * <p>With {@code format=binary}, each output event goes out as one binary frame: the header {@link
 * #HEADER} bytes long (version 1, stream 1 = stdout or 2 = stderr, seq, offset, exec id) followed
 * by the exact bytes; the other events stay JSON text frames.
 */
final class ExecFollower implements OpenStream {

  /** Binary frame header: version, stream, seq (8), offset (8), exec id (16 ASCII). */
  static final int HEADER = 34;

  private static final byte VERSION = 1;

  /**
   * How long one send may wait for a client that reads nothing (Tomcat's default is 20 s): a client
   * paused in a debugger or behind a stalled proxy keeps its place that long, holding one sender
   * thread and no output.
   */
  private static final long SEND_TIMEOUT_MILLIS = 10 * 60 * 1000L;

  private final EventSender out;
  private final EventLog log;
  private final String execId;
  private final boolean binary;
  private final Executor sender;
  private final Runnable wake = this::wake;
  private long nextSeq; // only the draining thread touches it
  private boolean keptFailed; // likewise
  private boolean draining; // guarded by this
  private boolean pending; // guarded by this: woken while draining
  private boolean done; // guarded by this

  ExecFollower(
      WebSocketSession session,
      EventLog log,
      String execId,
      long fromSeq,
      boolean binary,
      Executor sender) {
    this.log = log;
    this.execId = execId;
    this.nextSeq = fromSeq;
    this.binary = binary;
    this.sender = sender;
    this.out = new EventSender(session);
    out.blockingSendTimeout(SEND_TIMEOUT_MILLIS);
  }

  void start() {
    log.follow(execId, wake);
    wake();
  }

  private void wake() {
    synchronized (this) {
      if (done) {
        return;
      }
      if (draining) {
        pending = true;
        return;
      }
      draining = true;
      pending = false;
    }
    sender.execute(this::drain);
  }

  private void drain() {
    while (true) {
      synchronized (this) {
        pending = false;
        if (done) {
          draining = false;
          return;
        }
      }
      var next = log.next(execId, nextSeq, keptFailed);
      if (next == null) {
        synchronized (this) {
          if (!pending) {
            draining = false;
            return;
          }
        }
        continue;
      }
      boolean sent;
      if (next instanceof FollowStep.Ready ready) {
        sent = send(ready.event());
      } else if (next instanceof FollowStep.Kept kept) {
        if (binary) {
          var chunk = kept.chunk();
          keptFailed = chunk == null;
          if (chunk == null) {
            continue; // dropped meanwhile: the log says so next
          }
          sent = sendBinary(kept.seq(), chunk);
        } else {
          var event = kept.event();
          keptFailed = event == null;
          if (event == null) {
            continue;
          }
          sent = send(event);
        }
      } else {
        finish(CloseStatus.GOING_AWAY.withReason("sandbox deleted"));
        return;
      }
      if (!sent) {
        disconnected();
        return;
      }
    }
  }

  /** Sends one event and moves past it; the exit ends the stream. */
  private boolean send(ExecEvent event) {
    keptFailed = false;
    boolean sent;
    if (binary && event instanceof ExecEvent.Output output) {
      var bytes =
          output.base64()
              ? Base64.getDecoder().decode(output.data())
              : output.data().getBytes(StandardCharsets.UTF_8);
      sent = sendBinary(output.seq(), output.stream().ordinal() + 1, output.offset(), bytes);
    } else {
      sent = out.sendJson(event);
    }
    nextSeq = event instanceof ExecEvent.Gap gap ? gap.toSeq() + 1 : event.seq() + 1;
    if (sent && event.isExit()) {
      finish(CloseStatus.NORMAL);
    }
    return sent;
  }

  private boolean sendBinary(long seq, OutputChunk chunk) {
    keptFailed = false;
    nextSeq = seq + 1;
    return sendBinary(seq, chunk.stream().ordinal() + 1, chunk.offset(), chunk.bytes());
  }

  private boolean sendBinary(long seq, int stream, long offset, byte[] bytes) {
    var frame = ByteBuffer.allocate(HEADER + bytes.length);
    frame.put(VERSION).put((byte) stream).putLong(seq).putLong(offset);
    frame.put(execId.getBytes(StandardCharsets.US_ASCII), 0, 16);
    frame.put(bytes).flip();
    return out.sendBinary(frame);
  }

  @Override
  public void ping() {
    out.ping();
  }

  @Override
  public void disconnected() {
    synchronized (this) {
      done = true;
    }
    log.unfollow(execId, wake);
  }

  private void finish(CloseStatus status) {
    disconnected();
    out.close(status);
  }
}
