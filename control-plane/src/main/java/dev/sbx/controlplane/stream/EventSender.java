package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.ExecEvent;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Writes events, pings and the close of one WebSocket session, one at a time. A send that fails
 * answers false: the session is gone and its close callback cleans up.
 */
final class EventSender {

  private final WebSocketSession session;
  private final @Nullable Session jakarta; // null when the session is not Tomcat's
  private final ReentrantLock lock = new ReentrantLock();

  EventSender(WebSocketSession session) {
    this.session = session;
    this.jakarta =
        session instanceof NativeWebSocketSession nativeSession
                && nativeSession.getNativeSession() instanceof Session s
            ? s
            : null;
  }

  /** Sets how long one blocking send may wait for a client that reads nothing. */
  void blockingSendTimeout(long millis) {
    if (jakarta != null) {
      jakarta.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", millis);
    }
  }

  boolean sendJson(ExecEvent event) {
    lock.lock();
    try {
      if (jakarta != null) {
        // Through the writer Tomcat encodes from an array, several times faster than from the
        // String that sendMessage hands it; long events go out as fragments of one message.
        try (var out = jakarta.getBasicRemote().getSendWriter()) {
          event.json().writeTo(out);
        }
      } else {
        session.sendMessage(new TextMessage(event.toJson()));
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  boolean sendText(String text) {
    lock.lock();
    try {
      session.sendMessage(new TextMessage(text));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  boolean sendBinary(ByteBuffer frame) {
    lock.lock();
    try {
      if (jakarta != null) {
        jakarta.getBasicRemote().sendBinary(frame);
      } else {
        session.sendMessage(new BinaryMessage(frame));
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Pings unless a send is in progress: that send shows the stream is not idle, and waiting behind
   * it would hold the scheduler's thread, and every other subscriber's ping with it, for as long as
   * it blocks.
   */
  void ping() {
    if (!lock.tryLock()) {
      return;
    }
    try {
      if (session.isOpen()) {
        session.sendMessage(new PingMessage());
      }
    } catch (IOException | RuntimeException e) {
      // the close callback will clean up
    } finally {
      lock.unlock();
    }
  }

  void close(CloseStatus status) {
    lock.lock();
    try {
      session.close(status);
    } catch (IOException | RuntimeException e) {
      // already closed
    } finally {
      lock.unlock();
    }
  }
}
