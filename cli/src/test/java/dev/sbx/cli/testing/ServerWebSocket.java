package dev.sbx.cli.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The server end of one WebSocket connection: writes unmasked frames and reads the client's. */
public final class ServerWebSocket {

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CONTINUATION = 0x0;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String requestLine;
  private final Map<String, String> headers;

  ServerWebSocket(Socket socket, InputStream in, String requestLine, Map<String, String> headers)
      throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.requestLine = requestLine;
    this.headers = headers;
  }

  /**
   * A frame as the client sent it.
   *
   * @param masked whether the client masked it, as RFC 6455 requires of every client frame
   * @param payload the payload after unmasking
   */
  public record ClientFrame(boolean fin, int opcode, boolean masked, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** e.g. {@code GET /sandboxes/demo/stream HTTP/1.1}. */
  public String requestLine() {
    return requestLine;
  }

  /** A query parameter of the handshake's request line, undecoded; {@code null} when absent. */
  public String query(String name) {
    String target = requestLine.split(" ")[1];
    int question = target.indexOf('?');
    for (String pair : question < 0 ? new String[0] : target.substring(question + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return null;
  }

  /** Every value of a repeated query parameter, in order, undecoded. */
  public List<String> queries(String name) {
    String target = requestLine.split(" ")[1];
    int question = target.indexOf('?');
    var values = new ArrayList<String>();
    for (String pair : question < 0 ? new String[0] : target.substring(question + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        values.add(pair.substring(name.length() + 1));
      }
    }
    return values;
  }

  /** A handshake request header, by lower-case name; {@code null} when absent. */
  public String header(String name) {
    return headers.get(name);
  }

  public void sendText(String text) throws IOException {
    sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendBinary(byte[] payload) throws IOException {
    sendFrame(true, BINARY, payload);
  }

  public void sendClose(int code, String reason) throws IOException {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[text.length + 2];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    sendFrame(true, CLOSE, payload);
  }

  /** Writes one unmasked frame, choosing the 7-, 16- or 64-bit length form by size. */
  public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
    out.write((fin ? 0x80 : 0) | opcode);
    if (payload.length <= 125) {
      out.write(payload.length);
    } else if (payload.length <= 0xFFFF) {
      out.write(126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >>> shift));
      }
    }
    out.write(payload);
    out.flush();
  }

  /** The client's next frame, or {@code null} when it closed the connection. */
  public ClientFrame readFrame() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    var data = new DataInputStream(in);
    int second = data.readUnsignedByte();
    long length = second & 0x7F;
    if (length == 126) {
      length = data.readUnsignedShort();
    } else if (length == 127) {
      length = data.readLong();
    }
    boolean masked = (second & 0x80) != 0;
    byte[] mask = new byte[4];
    if (masked) {
      data.readFully(mask);
    }
    byte[] payload = new byte[(int) length];
    data.readFully(payload);
    for (int i = 0; masked && i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return new ClientFrame((first & 0x80) != 0, first & 0x0F, masked, payload);
  }

  /** Reads frames until the client's close frame, answers it and ends the connection. */
  public ClientFrame awaitClientClose() throws IOException {
    for (ClientFrame frame = readFrame(); frame != null; frame = readFrame()) {
      if (frame.opcode() == CLOSE) {
        sendFrame(true, CLOSE, frame.payload());
        socket.close();
        return frame;
      }
    }
    throw new EOFException("the client left without a close frame");
  }

  /** Ends the connection without a close frame, as a crashed server or a cut network would. */
  public void drop() throws IOException {
    socket.close();
  }
}
