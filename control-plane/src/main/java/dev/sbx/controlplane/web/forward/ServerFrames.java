package dev.sbx.controlplane.web.forward;

/**
 * Follows the frame boundaries in a WebSocket server's bytes as they are relayed, without copying
 * them: whether the stream stands between two frames, and whether a close frame went by. This is
 * what lets the relay end a client's connection properly when the owner vanished without closing.
 */
final class ServerFrames {

  private static final int CLOSE = 0x8;

  private final byte[] header = new byte[14];
  private int headerLength; // bytes of the current header read so far
  private long payloadLeft; // bytes of the current frame's payload still to come
  private boolean closeSeen;

  /** Takes note of the next relayed bytes. */
  void update(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      if (payloadLeft > 0) {
        int skip = (int) Math.min(payloadLeft, end - i);
        payloadLeft -= skip;
        i += skip;
        continue;
      }
      header[headerLength++] = bytes[i++];
      int needed = headerNeeded();
      if (headerLength == needed) {
        if ((header[0] & 0x0F) == CLOSE) {
          closeSeen = true;
        }
        payloadLeft = payloadLength();
        headerLength = 0;
      }
    }
  }

  /** Whether the bytes so far end exactly at a frame boundary. */
  boolean betweenFrames() {
    return headerLength == 0 && payloadLeft == 0;
  }

  /** Whether a close frame went by. */
  boolean closeSeen() {
    return closeSeen;
  }

  /** The close frame a relay sends when the owner went away: 1001, with a reason. */
  static byte[] goingAway(String reason) {
    var text = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int length = Math.min(text.length, 123); // a control frame's payload is at most 125 bytes
    var frame = new byte[4 + length];
    frame[0] = (byte) (0x80 | CLOSE);
    frame[1] = (byte) (2 + length);
    frame[2] = (byte) (1001 >> 8);
    frame[3] = (byte) (1001 & 0xFF);
    System.arraycopy(text, 0, frame, 4, length);
    return frame;
  }

  private int headerNeeded() {
    if (headerLength < 2) {
      return 2;
    }
    int length7 = header[1] & 0x7F;
    int mask = (header[1] & 0x80) != 0 ? 4 : 0;
    return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + mask;
  }

  private long payloadLength() {
    int length7 = header[1] & 0x7F;
    if (length7 < 126) {
      return length7;
    }
    long length = 0;
    int bytes = length7 == 126 ? 2 : 8;
    for (int k = 0; k < bytes; k++) {
      length = (length << 8) | (header[2 + k] & 0xFF);
    }
    return length;
  }
}
