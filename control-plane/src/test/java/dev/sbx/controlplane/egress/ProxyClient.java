package dev.sbx.controlplane.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A client of the proxy as a sandbox's program is: raw bytes on a socket, blocking. */
final class ProxyClient implements AutoCloseable {

  private final SocketChannel channel;

  private ProxyClient(SocketChannel channel) {
    this.channel = channel;
  }

  static ProxyClient unix(Path socket) throws IOException {
    var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return new ProxyClient(channel);
  }

  ProxyClient send(String text) throws IOException {
    var buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    return this;
  }

  /** Reads up to the end of the response head (the empty line); returns the head. */
  String head() throws IOException {
    var out = new ByteArrayOutputStream();
    var one = ByteBuffer.allocate(1);
    while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      one.clear();
      if (channel.read(one) < 0) {
        break;
      }
      out.write(one.array(), 0, 1);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads exactly n bytes. */
  String read(int n) throws IOException {
    var buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        throw new IOException("closed after " + buf.position() + " of " + n + " bytes");
      }
    }
    return new String(buf.array(), StandardCharsets.ISO_8859_1);
  }

  /** Reads until the proxy closes. */
  String rest() throws IOException {
    var out = new ByteArrayOutputStream();
    var buf = ByteBuffer.allocate(8192);
    while (channel.read(buf.clear()) >= 0) {
      out.write(buf.array(), 0, buf.position());
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Whether the proxy closed the connection (reads end of stream). */
  boolean closedByPeer() throws IOException {
    try {
      return channel.read(ByteBuffer.allocate(1)) < 0;
    } catch (IOException e) {
      return true;
    }
  }

  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
