package dev.sbx.controlplane.exec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a byte stream that arrives in arbitrary chunks into text, keeping a character that is split
 * across two chunks whole instead of turning it into two replacement characters.
 */
final class Utf8Chunks {

  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer pending = ByteBuffer.allocate(0);

  /** The text of these bytes, minus an incomplete character at the end, which waits for more. */
  String decode(byte[] data, int length) {
    ByteBuffer in;
    if (pending.hasRemaining()) {
      in = ByteBuffer.allocate(pending.remaining() + length);
      in.put(pending).put(data, 0, length).flip();
    } else {
      in = ByteBuffer.wrap(data, 0, length);
    }
    var out = CharBuffer.allocate(in.remaining());
    decoder.decode(in, out, false);
    pending = in.hasRemaining() ? copyOf(in) : ByteBuffer.allocate(0);
    return out.flip().toString();
  }

  /** What is left at the end of the stream: an incomplete character becomes a replacement. */
  String finish() {
    var out = CharBuffer.allocate(pending.remaining() + 1);
    decoder.decode(pending, out, true);
    decoder.flush(out);
    pending = ByteBuffer.allocate(0);
    return out.flip().toString();
  }

  private static ByteBuffer copyOf(ByteBuffer in) {
    var copy = ByteBuffer.allocate(in.remaining());
    copy.put(in).flip();
    return copy;
  }
}
