package dev.sbx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The "internet" of the egress benchmarks, on a loopback address of its own: an HTTP server that
 * sends {@code /big} (200 MB from one 1 MiB buffer; {@code /big?mbps=N} paced to N MB/s, as a fast
 * host on the internet would send it) or {@code /small} and closes, and a one-thread echo server
 * that holds as many connections as the proxy opens to it.
 */
final class EgressOrigin implements AutoCloseable {

  static final String ADDRESS = "127.0.0.2";
  static final long BIG_BYTES = 200L * 1000 * 1000;

  private static final byte[] CHUNK = new byte[1 << 20];

  private final ServerSocket http;
  private final ServerSocketChannel echo;
  private final Selector selector;
  private volatile boolean closed;

  EgressOrigin() throws IOException {
    http = new ServerSocket();
    http.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0), 256);
    daemon("egress-origin-http", this::serveHttp);
    selector = Selector.open();
    echo = ServerSocketChannel.open();
    echo.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0), 2048);
    echo.configureBlocking(false);
    echo.register(selector, SelectionKey.OP_ACCEPT);
    daemon("egress-origin-echo", this::serveEcho);
  }

  int httpPort() {
    return http.getLocalPort();
  }

  int echoPort() {
    return echo.socket().getLocalPort();
  }

  private void serveHttp() {
    while (!closed) {
      try {
        var socket = http.accept();
        daemon("egress-origin-request", () -> answer(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void answer(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      var path = requestPath(socket.getInputStream());
      var out = socket.getOutputStream();
      if (path.startsWith("/big")) {
        head(out, BIG_BYTES);
        long mbps =
            path.contains("mbps=") ? Long.parseLong(path.substring(path.indexOf("mbps=") + 5)) : 0;
        long start = System.nanoTime();
        long sent = 0;
        for (long left = BIG_BYTES; left > 0; left -= CHUNK.length) {
          int n = (int) Math.min(CHUNK.length, left);
          out.write(CHUNK, 0, n);
          sent += n;
          if (mbps > 0) {
            long due = start + sent * 1000 / mbps; // ns: bytes / (MB/s) = bytes * 1000 / mbps
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
          }
        }
      } else {
        head(out, 3);
        out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void head(OutputStream out, long length) throws IOException {
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
  }

  /** The path of the request line; reads the head up to its empty line. */
  private static String requestPath(InputStream in) throws IOException {
    var head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && head.length() < 16384) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    var parts = head.toString().split(" ");
    return parts.length > 1 ? parts[1] : "/";
  }

  private void serveEcho() {
    var buffer = ByteBuffer.allocate(8192);
    while (!closed) {
      try {
        selector.select();
        var keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          var key = keys.next();
          keys.remove();
          if (key.isAcceptable()) {
            var client = echo.accept();
            if (client != null) {
              client.configureBlocking(false);
              client.register(selector, SelectionKey.OP_READ);
            }
          } else if (key.isReadable()) {
            var client = (SocketChannel) key.channel();
            buffer.clear();
            if (client.read(buffer) < 0) {
              key.cancel();
              client.close();
            } else {
              buffer.flip();
              client.write(buffer); // a byte or two at a time: never more than the socket takes
            }
          }
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private static void daemon(String name, Runnable work) {
    var thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    http.close();
    selector.wakeup();
    echo.close();
    selector.close();
  }
}
