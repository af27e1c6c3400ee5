package dev.sbx.sidecar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One WebSocket to the control plane's ingest endpoint: frames go out, answers are queued. */
final class IngestConnection implements WebSocket.Listener {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final long SEND_TIMEOUT_SECONDS = 10;
  // The control plane answers each frame once, so more answers than this are a broken peer.
  private static final int MAX_QUEUED = 4 * Streamer.WINDOW;
  private static final int MAX_ANSWER_CHARS = 64 * 1024;
  // RFC 6455's code for a connection that ended without a close frame; the JDK reports it so.
  private static final int CLOSED_ABNORMALLY = 1006;
  private static final ByteBuffer PING = ByteBuffer.wrap(new byte[] {'s', 'b', 'x'});

  private final Wakeup wakeup;
  private final ArrayDeque<String> answers = new ArrayDeque<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile String closeReason;
  private WebSocket socket;

  private IngestConnection(Wakeup wakeup) {
    this.wakeup = wakeup;
  }

  static IngestConnection open(HttpClient client, Config config, Wakeup wakeup)
      throws IOException, InterruptedException {
    var connection = new IngestConnection(wakeup);
    var handshake =
        client
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + config.token())
            .connectTimeout(CONNECT_TIMEOUT)
            .buildAsync(config.ingestUri(), connection);
    connection.socket = await(handshake, CONNECT_TIMEOUT.toSeconds() + SEND_TIMEOUT_SECONDS, null);
    return connection;
  }

  /** Why the connection ended, or null while it is open. */
  String closeReason() {
    return closeReason;
  }

  /** The next answer from the control plane, or null when none is waiting. */
  synchronized String poll() {
    return answers.poll();
  }

  /**
   * Sends one text frame and waits until it is written, since the frame's buffer is reused. A send
   * that takes long means a dead peer: the caller reconnects.
   */
  void send(CharSequence frame) throws IOException, InterruptedException {
    await(socket.sendText(frame, true), SEND_TIMEOUT_SECONDS, "send");
  }

  void ping() throws IOException, InterruptedException {
    await(socket.sendPing(PING.duplicate()), SEND_TIMEOUT_SECONDS, "ping");
  }

  /** Says goodbye if the peer is still there, then drops the connection in any case. */
  void close() {
    try {
      if (closeReason == null) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Dropped below all the same.
    } finally {
      socket.abort();
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    // Answers are small and come at most one per frame sent, so there is no point in asking for
    // them one by one; MAX_QUEUED guards against a peer that floods.
    webSocket.request(Long.MAX_VALUE);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (partial.length() + data.length() > MAX_ANSWER_CHARS) {
      return failed(webSocket, "an answer from the control plane longer than 64 KiB");
    }
    partial.append(data);
    if (last) {
      synchronized (this) {
        if (answers.size() >= MAX_QUEUED) {
          return failed(webSocket, "more answers from the control plane than frames sent");
        }
        answers.add(partial.toString());
      }
      partial.setLength(0);
      wakeup.signal();
    }
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    if (statusCode == CLOSED_ABNORMALLY) {
      end("connection lost (ended without a close frame)");
    } else {
      end(
          "closed by the control plane ("
              + statusCode
              + (reason.isEmpty() ? "" : " " + reason)
              + ")");
    }
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    end("connection lost: " + describe(error));
  }

  private CompletionStage<?> failed(WebSocket webSocket, String reason) {
    end(reason);
    webSocket.abort();
    return null;
  }

  private void end(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    wakeup.signal();
  }

  /** Waits for a send; what names it in the exception, null for the handshake. */
  private static <T> T await(CompletableFuture<T> future, long seconds, String what)
      throws IOException, InterruptedException {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      String problem = describe(e.getCause());
      throw new IOException(what == null ? problem : what + " failed: " + problem, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new InterruptedIOException(
          (what == null ? "the handshake" : what) + " made no progress in " + seconds + " s");
    }
  }

  static String describe(Throwable error) {
    while (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    if (error instanceof WebSocketHandshakeException refused) {
      int status = refused.getResponse().statusCode();
      return "HTTP " + status + (status == 401 ? " (the ingest token was refused)" : "");
    }
    // The JDK reports a refused connection and an unknown host with no message of their own.
    if (error instanceof ConnectException && error.getMessage() == null) {
      error = error.getCause() instanceof UnresolvedAddressException ? error.getCause() : error;
    }
    if (error instanceof UnresolvedAddressException) {
      return "unknown host";
    }
    if (error instanceof ConnectException && error.getMessage() == null) {
      return "connection refused";
    }
    String message = error.getMessage();
    return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
  }
}
