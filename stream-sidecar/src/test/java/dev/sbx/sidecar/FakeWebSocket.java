package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/** The server side of one WebSocket (RFC 6455) on a plain socket: as much as the sidecar uses. */
final class FakeWebSocket implements AutoCloseable {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private boolean sawUnmaskedFrame;

  FakeWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = socket.getOutputStream();
  }

  /**
   * Reads the upgrade request and switches protocols when accept, given the request line and the
   * headers (names in lower case), says so; else answers 401.
   */
  boolean handshake(BiPredicate<String, Map<String, String>> accept) throws IOException {
    String requestLine = readLine();
    var headers = new HashMap<String, String>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    if (!accept.test(requestLine, headers)) {
      writeAscii("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return false;
    }
    writeAscii(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + accept(headers.get("sec-websocket-key"))
            + "\r\n\r\n");
    return true;
  }

  /** The next text message; null once the client closed. Answers pings and closes itself. */
  String readText() throws IOException {
    var message = new ByteArrayOutputStream();
    while (true) {
      int first;
      try {
        first = in.readUnsignedByte();
      } catch (EOFException e) {
        return null;
      }
      byte[] payload = readPayload();
      int opcode = first & 0x0f;
      if (opcode == 8) {
        write(8, payload);
        return null;
      } else if (opcode == 9) {
        write(10, payload);
      } else if (opcode == 1 || opcode == 0) {
        message.write(payload);
        if ((first & 0x80) != 0) {
          return message.toString(UTF_8);
        }
      }
    }
  }

  boolean sawUnmaskedFrame() {
    return sawUnmaskedFrame;
  }

  void sendText(String text) throws IOException {
    write(1, text.getBytes(UTF_8));
  }

  void sendClose(int statusCode) throws IOException {
    write(8, new byte[] {(byte) (statusCode >> 8), (byte) statusCode});
  }

  /** Ends the stream to the client without a close frame; what was written before still arrives. */
  void endAbruptly() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Gone already.
    }
  }

  private byte[] readPayload() throws IOException {
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] mask = new byte[4];
    if ((second & 0x80) == 0) {
      sawUnmaskedFrame = true;
    } else {
      in.readFully(mask);
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i % 4];
    }
    return payload;
  }

  private synchronized void write(int opcode, byte[] payload) throws IOException {
    out.write(0x80 | opcode);
    if (payload.length < 126) {
      out.write(payload.length);
    } else {
      out.write(126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    }
    out.write(payload);
    out.flush();
  }

  private synchronized void writeAscii(String text) throws IOException {
    out.write(text.getBytes(ISO_8859_1));
    out.flush();
  }

  private String readLine() throws IOException {
    var line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException();
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static String accept(String key) {
    try {
      var sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
