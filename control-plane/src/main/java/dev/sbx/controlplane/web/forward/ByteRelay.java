package dev.sbx.controlplane.web.forward;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of one upgraded connection, copied both ways between the client and the owning replica
 * by two threads of their own (blocking reads: Tomcat's upgraded streams block when no listener is
 * set), each write flushed at once so that a keystroke or an event is not held back. When either
 * side ends, both are closed. Public, with a public constructor, because Tomcat makes it.
 */
public final class ByteRelay implements HttpUpgradeHandler {

  private static final int CHUNK = 64 * 1024;
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService PUMPS =
      Executors.newCachedThreadPool(
          r -> {
            var thread = new Thread(r, "sbx-relay-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private @Nullable Socket owner;
  private @Nullable InputStream fromOwner;
  private @Nullable WebConnection client;
  private final AtomicBoolean closed = new AtomicBoolean();

  public ByteRelay() {}

  void connect(Socket owner, InputStream fromOwner) {
    this.owner = owner;
    this.fromOwner = fromOwner;
  }

  @Override
  public void init(WebConnection connection) {
    client = connection;
    var socket = owner;
    var in = fromOwner;
    if (socket == null || in == null) {
      close();
      return;
    }
    try {
      var toClient = connection.getOutputStream();
      var fromClient = connection.getInputStream();
      var toOwner = socket.getOutputStream();
      PUMPS.execute(() -> toClient(in, toClient));
      PUMPS.execute(() -> pump(fromClient, toOwner));
    } catch (IOException e) {
      close();
    }
  }

  /**
   * The owner's bytes to the client. When the owner's connection ends without its close frame (the
   * replica went away), the client gets a close frame of the relay's own (1001) once the stream
   * stands between frames: closing the upgraded streams alone does not make Tomcat close the
   * client's connection, and a client waiting for events would wait forever.
   */
  private void toClient(InputStream from, OutputStream to) {
    var frames = new ServerFrames();
    var buffer = new byte[CHUNK];
    try {
      for (int n; (n = from.read(buffer)) != -1; ) {
        to.write(buffer, 0, n);
        to.flush();
        frames.update(buffer, 0, n);
      }
    } catch (IOException e) {
      // the owner went away, or the client did: the latter makes the write below fail too
    }
    if (!frames.closeSeen() && frames.betweenFrames()) {
      try {
        to.write(
            ServerFrames.goingAway("the replica that served this connection went away; reconnect"));
        to.flush();
      } catch (IOException e) {
        // the client is gone as well
      }
    }
    close();
  }

  private void pump(InputStream from, OutputStream to) {
    var buffer = new byte[CHUNK];
    try {
      for (int n; (n = from.read(buffer)) != -1; ) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // one side went away: both are closed below
    } finally {
      close();
    }
  }

  private void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    quietly(owner);
    var connection = client;
    if (connection != null) {
      try {
        connection.close();
      } catch (Exception e) {
        // already gone
      }
    }
  }

  private static void quietly(@Nullable Closeable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  @Override
  public void destroy() {
    close();
  }
}
