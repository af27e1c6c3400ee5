package dev.sbx.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket subscriber of {@code /sandboxes/{id}/stream} on a plain socket: it reads frames into
 * one reused buffer and hands each text message to a {@link StreamTally}, answering pings, so that
 * the client costs little next to the server it measures.
 */
final class StreamConnection implements Closeable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private byte[] message = new byte[128 * 1024];
  private int closeCode = -1;
  private String closeReason = "";

  private StreamConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 256 * 1024));
    this.out = socket.getOutputStream();
  }

  static StreamConnection open(URI base, String pathAndQuery) throws IOException {
    var socket = new Socket();
    try {
      socket.setReceiveBufferSize(1 << 20);
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(300_000);
      var connection = new StreamConnection(socket);
      connection.handshake(base, pathAndQuery);
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private void handshake(URI base, String pathAndQuery) throws IOException {
    var nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    var request =
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    var status = line();
    while (!line().isEmpty()) {
      // headers: nothing in them matters here
    }
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new ProtocolException("WebSocket handshake refused: " + status);
    }
  }

  /**
   * Reads until the server closes the stream, giving every text message to the tally.
   *
   * @return the close code the server sent, or -1 when the connection just ended
   */
  int readAll(StreamTally tally) throws IOException {
    int length = 0;
    while (true) {
      int first;
      try {
        first = in.readUnsignedByte();
      } catch (EOFException e) {
        return closeCode;
      }
      int second = in.readUnsignedByte();
      boolean fin = (first & 0x80) != 0;
      int opcode = first & 0x0F;
      long size = second & 0x7F;
      if (size == 126) {
        size = in.readUnsignedShort();
      } else if (size == 127) {
        size = in.readLong();
      }
      if (size > (64 << 20)) {
        throw new ProtocolException("frame of " + size + " bytes");
      }
      if ((opcode & 0x8) != 0) {
        var payload = new byte[(int) size];
        in.readFully(payload);
        if (control(opcode, payload)) {
          return closeCode;
        }
        continue;
      }
      if (length + size > message.length) {
        message = Arrays.copyOf(message, (int) Math.max(message.length * 2L, length + size));
      }
      in.readFully(message, length, (int) size);
      length += (int) size;
      if (fin) {
        tally.accept(message, 0, length);
        length = 0;
      }
    }
  }

  String closeReason() {
    return closeReason;
  }

  /** Handles a control frame; true when it was the close. */
  private boolean control(int opcode, byte[] payload) throws IOException {
    switch (opcode) {
      case 0x9 -> send(0xA, payload);
      case 0x8 -> {
        closeCode = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        if (payload.length > 2) {
          closeReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
        send(0x8, Arrays.copyOf(payload, Math.min(2, payload.length)));
        return true;
      }
      default -> {}
    }
    return false;
  }

  private synchronized void send(int opcode, byte[] payload) throws IOException {
    var frame = new byte[6 + payload.length];
    frame[0] = (byte) (0x80 | opcode);
    frame[1] = (byte) (0x80 | payload.length);
    var mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    out.write(frame);
    out.flush();
  }

  private String line() throws IOException {
    var line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to release
    }
  }
}
