package dev.sbx.controlplane.mcp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Bytes that a sandbox produced, as text a model can read: UTF-8 where they are UTF-8, else base64;
 * and a long stream cut in the middle, where a model loses least.
 */
final class OutputText {

  static final String UTF_8 = "utf-8";
  static final String BASE64 = "base64";

  private OutputText() {}

  /**
   * Bytes as text, and how many of them it holds.
   *
   * @param text the bytes, as UTF-8 text or base64
   * @param encoding {@link #UTF_8} or {@link #BASE64}
   * @param length bytes the text holds: less than given when a character was cut at the end
   */
  record Decoded(String text, String encoding, int length) {}

  /**
   * UTF-8 text when the bytes are UTF-8; a character cut at the end is left for the next read
   * unless nothing else is there. Anything else is base64, so no byte is lost or changed.
   */
  static Decoded decode(byte[] bytes) {
    int whole = bytes.length - cutCharacter(bytes, bytes.length);
    if (whole == 0) {
      whole = bytes.length;
    }
    var text = strictUtf8(bytes, whole);
    if (text != null) {
      return new Decoded(text, UTF_8, whole);
    }
    return new Decoded(Base64.getEncoder().encodeToString(bytes), BASE64, bytes.length);
  }

  /** Text for reading: bytes that are not UTF-8 become U+FFFD. */
  static String lenient(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Where to end the first {@code length} bytes of a cut stream: after a line when one ends in
   * their last quarter, else after the last whole character.
   */
  static int headEnd(byte[] bytes, int length) {
    for (int i = length - 1; i >= length - length / 4; i--) {
      if (bytes[i] == '\n') {
        return i + 1;
      }
    }
    return length - cutCharacter(bytes, length);
  }

  /**
   * Where to start the last bytes of a cut stream: at a line when one starts in their first
   * quarter, else at the first whole character.
   */
  static int tailStart(byte[] bytes) {
    for (int i = 0; i < bytes.length / 4; i++) {
      if (bytes[i] == '\n') {
        return i + 1;
      }
    }
    return continuationBytes(bytes);
  }

  /** Bytes to drop from the start so that it begins on a character, at most 3. */
  static int continuationBytes(byte[] bytes) {
    int n = 0;
    while (n < Math.min(3, bytes.length) && (bytes[n] & 0xC0) == 0x80) {
      n++;
    }
    return n;
  }

  /** Bytes at the end of {@code bytes[0, length)} that begin a character they do not finish. */
  static int cutCharacter(byte[] bytes, int length) {
    for (int back = 1; back <= Math.min(3, length); back++) {
      int b = bytes[length - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue; // a continuation byte: its lead is further back
      }
      int needs = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      return needs > back ? back : 0;
    }
    return 0;
  }

  /** The last line with something on it, bounded and with control characters left out. */
  static String lastLine(byte[] tail, int maxChars) {
    var text = lenient(Arrays.copyOfRange(tail, continuationBytes(tail), tail.length)).strip();
    var line = text.substring(text.lastIndexOf('\n') + 1).strip();
    var printable = new StringBuilder();
    line.codePoints()
        .filter(c -> !Character.isISOControl(c))
        .limit(maxChars)
        .forEach(printable::appendCodePoint);
    return printable.toString();
  }

  private static @Nullable String strictUtf8(byte[] bytes, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
