package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.ExecView;
import dev.sbx.controlplane.exec.OutputDroppedException;
import dev.sbx.controlplane.exec.TerminalRequest;
import dev.sbx.controlplane.exec.TerminalService;
import dev.sbx.controlplane.exec.TerminalSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /sandboxes/{id}/tty}: an interactive terminal session over one WebSocket, as xterm.js and
 * {@code sbx shell} use it. Binary frames carry terminal bytes both ways. Text frames carry JSON
 * control: from the client {@code resize} and {@code signal}; from the server {@code started} (the
 * exec id, to reattach with), {@code error} (a control message it could not take), and {@code exit}
 * after the last output, followed by a close with 1000.
 *
 * <p>Each socket follows the output on a thread of its own, at its own pace, from the session's
 * kept output (the last {@link TerminalSession#REPLAY_BYTES} of it first when it attaches to a
 * running session). Typed bytes go to the terminal from Tomcat's thread, which waits while the
 * program does not read, as a terminal does.
 */
@Component
class TerminalHandler extends AbstractWebSocketHandler implements DisposableBean, SmartLifecycle {

  private static final Logger logger = LoggerFactory.getLogger(TerminalHandler.class);
  private static final String OPEN = "sbx.tty.open";

  /** As for streams: a client that reads nothing for this long is not coming back. */
  private static final long SEND_TIMEOUT_MILLIS = 10 * 60 * 1000L;

  private final TerminalService terminals;
  private final JsonMapper json;
  private final Pings pings;
  private final Map<String, Open> open = new ConcurrentHashMap<>();
  private final ExecutorService followers =
      Executors.newCachedThreadPool(
          r -> {
            var t = new Thread(r, "sbx-tty");
            t.setDaemon(true);
            return t;
          });

  TerminalHandler(
      TerminalService terminals,
      JsonMapper json,
      StreamProperties properties,
      TaskScheduler scheduler) {
    this.terminals = terminals;
    this.json = json;
    this.pings =
        new Pings(scheduler, properties, () -> open.values().forEach(state -> state.out.ping()));
  }

  /** One open socket: its session, its sender, and the thread following the output for it. */
  private static final class Open {
    final TerminalSession session;
    final EventSender out;
    final TerminalControl control;
    volatile @Nullable Future<?> follower;

    Open(TerminalSession session, EventSender out, TerminalControl control) {
      this.session = session;
      this.out = out;
      this.control = control;
    }
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession socket) {
    var attributes = socket.getAttributes();
    var sandboxId = (String) attributes.get(TerminalHandshake.SANDBOX);
    var request = (TerminalRequest) attributes.get(TerminalHandshake.REQUEST);
    var attach = (String) attributes.get(TerminalHandshake.ATTACH);
    var out = new EventSender(socket);
    out.blockingSendTimeout(SEND_TIMEOUT_MILLIS);
    TerminalSession session;
    try {
      session =
          request != null
              ? terminals.startTerminal(sandboxId, request)
              : terminals.attachTerminal(sandboxId, attach);
      if (request == null && attributes.get(TerminalHandshake.SIZE) instanceof int[] size) {
        session.resize(size[0], size[1]);
      }
    } catch (ErrorResponseException e) {
      // Checked at the handshake, so it changed since: the sandbox went, the exec ended, too many.
      var detail = e.getBody().getDetail();
      out.sendText(control("error", Map.of("detail", String.valueOf(detail))));
      out.close(CloseStatus.POLICY_VIOLATION.withReason("could not start the session"));
      return;
    } catch (IOException | RuntimeException e) {
      logger.warn("could not open a terminal session in sandbox {}", sandboxId, e);
      out.sendText(control("error", Map.of("detail", "could not open the session")));
      out.close(CloseStatus.SERVER_ERROR);
      return;
    }
    var state = new Open(session, out, new TerminalControl(json));
    attributes.put(OPEN, state);
    open.put(socket.getId(), state);
    // A client that knows how much it has shown resumes right after it (sbx shell reconnecting);
    // one that does not gets the recent output to redraw its screen from. Either way `started`
    // says where the output it gets begins, so that it can resume exactly after a drop.
    long from =
        request != null
            ? 0
            : attributes.get(TerminalHandshake.OFFSET) instanceof Long offset
                ? offset
                : session.recentOutputStart();
    var started = new LinkedHashMap<String, Object>();
    started.put("exec_id", session.execId());
    started.put("sandbox_id", session.sandboxId());
    started.put("offset", from);
    out.sendText(control("started", started));
    state.follower = followers.submit(() -> follow(state, socket, from));
  }

  /** Sends the output from {@code from} as it comes, then the exit, then closes with 1000. */
  private void follow(Open state, WebSocketSession socket, long from) {
    var session = state.session;
    var frames = new BinaryFrames(state.out);
    long offset = from;
    try {
      while (true) {
        try {
          session.copyOutput(offset, frames);
          break;
        } catch (OutputDroppedException e) {
          // Dropped from the store while this client was away: go on from what is kept.
          offset = Math.max(offset, session.recentOutputStart());
        }
      }
      var view = session.ended().get();
      state.out.sendText(exit(view));
      state.out.close(CloseStatus.NORMAL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the socket closed
    } catch (IOException e) {
      // the client went away; afterConnectionClosed detaches it
    } catch (Exception e) {
      logger.warn("terminal session {}: following its output failed", session.execId(), e);
      state.out.close(CloseStatus.SERVER_ERROR);
    }
  }

  private String exit(ExecView view) {
    var fields = new LinkedHashMap<String, Object>();
    fields.put("exit_code", view.exitCode());
    fields.put("status", view.status().wireName());
    if (view.reason() != null) {
      fields.put("reason", view.reason());
    }
    return control("exit", fields);
  }

  private String control(String type, Map<String, ?> fields) {
    var message = new LinkedHashMap<String, Object>();
    message.put("type", type);
    message.putAll(fields);
    return json.writeValueAsString(message);
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message)
      throws IOException {
    var state = (Open) socket.getAttributes().get(OPEN);
    if (state == null) {
      return;
    }
    ByteBuffer payload = message.getPayload();
    var bytes = new byte[payload.remaining()];
    payload.get(bytes);
    try {
      state.session.type(bytes, 0, bytes.length);
    } catch (IOException e) {
      // the program ended: its exit frame is on its way
    }
  }

  @Override
  protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
    var state = (Open) socket.getAttributes().get(OPEN);
    if (state != null) {
      var refused = state.control.accept(state.session, message);
      if (refused != null) {
        refuse(state, refused);
      }
    }
  }

  private void refuse(Open state, String detail) {
    state.out.sendText(control("error", Map.of("detail", detail)));
  }

  @Override
  public boolean supportsPartialMessages() {
    // A paste larger than Tomcat's 8 KiB buffer arrives in parts instead of closing the socket.
    return true;
  }

  @Override
  public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
    open.remove(socket.getId());
    var state = (Open) socket.getAttributes().remove(OPEN);
    if (state == null) {
      return;
    }
    var follower = state.follower;
    if (follower != null) {
      follower.cancel(true);
    }
    state.session.detach();
  }

  @Override
  public void handleTransportError(WebSocketSession socket, Throwable exception) {
    // afterConnectionClosed follows and detaches
  }

  /**
   * Pings every open socket at the stream interval, so an idle shell stays open through proxies.
   */
  @Override
  public void start() {
    pings.start();
  }

  @Override
  public void stop() {
    pings.stop();
  }

  @Override
  public boolean isRunning() {
    return pings.running();
  }

  @Override
  public void destroy() {
    followers.shutdownNow();
  }
}
