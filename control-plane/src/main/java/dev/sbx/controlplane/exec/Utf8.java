package dev.sbx.controlplane.exec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Strict UTF-8 checks for command output, which may be any bytes. */
final class Utf8 {

  private Utf8() {}

  /** The text of these bytes, or null when they are not valid UTF-8. */
  static @Nullable String decode(byte[] data, int offset, int length) {
    if (ascii(data, offset, length)) {
      // Most output: one pass into a compact String, instead of a char buffer and a copy of it.
      return new String(data, offset, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean ascii(byte[] data, int offset, int length) {
    var words = ByteBuffer.wrap(data, offset, length);
    int i = offset;
    int end = offset + length;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      if ((words.getLong(i) & 0x8080808080808080L) != 0) {
        return false;
      }
    }
    for (; i < end; i++) {
      if (data[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where a character that the data's end cuts off begins, or {@code length} when the data ends on
   * a character boundary. Only the last three bytes can hold such a start.
   */
  static int completeLength(byte[] data, int length) {
    for (int back = 1; back <= Math.min(3, length); back++) {
      int b = data[length - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue; // a continuation byte: look further back for the lead byte
      }
      int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      return needed > back ? length - back : length;
    }
    return length;
  }
}
