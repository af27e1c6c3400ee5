package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The small program a local sandbox with network runs inside its own network namespace: it listens
 * on {@code 127.0.0.1:<port>}, where the sandbox's HTTP_PROXY points, and carries each connection
 * to the egress proxy through the unix socket the control plane bound into the sandbox. It decides
 * nothing and knows nothing but those two addresses: the proxy enforces the policy on the far side.
 *
 * <p>JDK only, one thread, one selector, so that it starts in about a quarter of a second on the
 * host's JDK and stays small (the control plane runs it with a tiny heap, interpreted). It is
 * copied into the sandbox as class files and must stay free of any other class of the control
 * plane.
 */
public final class EgressForwarder {

  private static final int MAX_CONNECTIONS = 1024;
  private static final int BUFFER = 64 * 1024;

  private final Selector selector;
  private final ServerSocketChannel server;
  private final UnixDomainSocketAddress proxy;
  private int open;

  private EgressForwarder(int port, Path socket) throws IOException {
    selector = Selector.open();
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    proxy = UnixDomainSocketAddress.of(socket);
  }

  /** Arguments: the port to listen on, the proxy's unix socket. */
  public static void main(String[] args) throws IOException {
    var forwarder = new EgressForwarder(Integer.parseInt(args[0]), Path.of(args[1]));
    System.out.println("listening");
    System.out.flush();
    forwarder.run();
  }

  private void run() throws IOException {
    while (true) {
      selector.select();
      var keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        var key = keys.next();
        keys.remove();
        if (!key.isValid()) {
          continue;
        }
        if (key.isAcceptable()) {
          accept();
        } else {
          ((Pipe) key.attachment()).ready(key);
        }
      }
    }
  }

  private void accept() {
    SocketChannel client = null;
    SocketChannel upstream = null;
    try {
      client = server.accept();
      if (client == null) {
        return;
      }
      if (open >= MAX_CONNECTIONS) {
        client.close();
        return;
      }
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      upstream = SocketChannel.open(StandardProtocolFamily.UNIX);
      upstream.connect(proxy);
      client.configureBlocking(false);
      upstream.configureBlocking(false);
      var out = new Pipe(client, upstream);
      var in = new Pipe(upstream, client);
      out.reverse = in;
      in.reverse = out;
      out.key = client.register(selector, SelectionKey.OP_READ, out);
      in.key = upstream.register(selector, SelectionKey.OP_READ, in);
      open++;
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  /**
   * One direction of a connection: reads {@code from} into its buffer, writes the buffer to {@code
   * to}. The key of {@code from} carries this pipe's reads and, while {@code to} cannot take more,
   * the reverse pipe's key on {@code to} waits for writability instead.
   */
  private final class Pipe {
    final SocketChannel from;
    final SocketChannel to;
    final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    Pipe reverse;
    SelectionKey key;
    boolean ended;

    Pipe(SocketChannel from, SocketChannel to) {
      this.from = from;
      this.to = to;
    }

    void ready(SelectionKey ready) {
      try {
        if (ready.isWritable()) {
          reverse.drain();
        }
        if (ready.isValid() && ready.isReadable()) {
          fill();
        }
      } catch (IOException e) {
        close();
      }
    }

    private void fill() throws IOException {
      int read = from.read(buffer);
      if (read < 0) {
        ended = true;
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        if (buffer.position() == 0) {
          endOutput();
        }
        return;
      }
      drain();
    }

    /** Writes what the buffer holds; reads pause while the other side is full. */
    void drain() throws IOException {
      buffer.flip();
      to.write(buffer);
      boolean left = buffer.hasRemaining();
      buffer.compact();
      var toKey = reverse.key;
      if (left) {
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        toKey.interestOps(toKey.interestOps() | SelectionKey.OP_WRITE);
      } else {
        toKey.interestOps(toKey.interestOps() & ~SelectionKey.OP_WRITE);
        if (ended) {
          endOutput();
        } else {
          key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
      }
    }

    private void endOutput() throws IOException {
      if (reverse.ended && reverse.buffer.position() == 0) {
        close();
        return;
      }
      to.shutdownOutput();
    }

    void close() {
      if (key.isValid() || reverse.key.isValid()) {
        open--;
      }
      key.cancel();
      reverse.key.cancel();
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
