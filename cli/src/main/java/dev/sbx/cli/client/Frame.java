package dev.sbx.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;

/** One WebSocket frame, read from the server unmasked or written by us masked (RFC 6455 5.2). */
record Frame(boolean fin, int opcode, byte[] payload) {

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  // Events are a few KiB; a length beyond this is a broken or hostile peer, not data to buffer.
  static final long MAX_PAYLOAD = 16L << 20;

  boolean control() {
    return (opcode & 0x8) != 0;
  }

  /** Reads the next frame, or returns {@code null} when the stream ends between frames. */
  static Frame read(InputStream stream) throws IOException {
    int first = stream.read();
    if (first < 0) {
      return null;
    }
    var in = new DataInputStream(stream);
    int second = in.readUnsignedByte();
    if ((first & 0x70) != 0) {
      throw new ProtocolException("WebSocket frame uses reserved bits");
    }
    if ((second & 0x80) != 0) {
      throw new ProtocolException("WebSocket server sent a masked frame");
    }
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if (length < 0 || length > MAX_PAYLOAD) {
      throw new ProtocolException("WebSocket frame of " + length + " bytes is too large");
    }
    var frame = new Frame((first & 0x80) != 0, first & 0x0F, new byte[(int) length]);
    if (frame.control() && (length > 125 || !frame.fin())) {
      throw new ProtocolException("WebSocket control frame is fragmented or too long");
    }
    try {
      in.readFully(frame.payload());
    } catch (EOFException e) {
      throw new EOFException("WebSocket frame cut short");
    }
    return frame;
  }

  /** Writes this frame with the given masking key, as RFC 6455 requires of every client frame. */
  void write(OutputStream out, byte[] mask) throws IOException {
    int length = payload.length;
    var bytes = new ByteArrayOutputStream(length + 14);
    bytes.write((fin ? 0x80 : 0) | opcode);
    if (length <= 125) {
      bytes.write(0x80 | length);
    } else if (length <= 0xFFFF) {
      bytes.write(0x80 | 126);
      bytes.write(length >>> 8);
      bytes.write(length);
    } else {
      bytes.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        bytes.write((int) ((long) length >>> shift));
      }
    }
    bytes.write(mask, 0, 4);
    for (int i = 0; i < length; i++) {
      bytes.write(payload[i] ^ mask[i & 3]);
    }
    // One write per frame, so a frame never leaves in pieces that a slow peer could interleave.
    bytes.writeTo(out);
    out.flush();
  }
}
