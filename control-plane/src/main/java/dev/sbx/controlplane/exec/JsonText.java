package dev.sbx.controlplane.exec;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Arrays;

/**
 * JSON text built by hand in a growable {@code char[]}, because events are the hot path: runs of
 * characters that need no escape are copied in bulk, and the array goes to a WebSocket writer as it
 * is. Tomcat encodes a {@code String} one char at a time but an array in bulk, which made the
 * difference between about 75 and several hundred MB/s of streamed output.
 */
public final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private char[] chars;
  private int length;

  JsonText(int capacity) {
    chars = new char[Math.max(16, capacity)];
  }

  JsonText append(char c) {
    ensure(1);
    chars[length++] = c;
    return this;
  }

  JsonText append(String s) {
    int n = s.length();
    ensure(n);
    s.getChars(0, n, chars, length);
    length += n;
    return this;
  }

  JsonText append(long n) {
    return append(Long.toString(n));
  }

  /** Appends the value as a JSON string literal. */
  JsonText quote(String value) {
    append('"');
    int start = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (!escaped(c)) {
        continue;
      }
      copy(value, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> append('\\').append('"');
        case '\\' -> append('\\').append('\\');
        case '\n' -> append('\\').append('n');
        case '\r' -> append('\\').append('r');
        case '\t' -> append('\\').append('t');
        default -> {
          ensure(6);
          chars[length++] = '\\';
          chars[length++] = 'u';
          chars[length++] = HEX[(c >> 12) & 0xF];
          chars[length++] = HEX[(c >> 8) & 0xF];
          chars[length++] = HEX[(c >> 4) & 0xF];
          chars[length++] = HEX[c & 0xF];
        }
      }
    }
    copy(value, start, n);
    return append('"');
  }

  private void copy(String value, int from, int to) {
    ensure(to - from);
    value.getChars(from, to, chars, length);
    length += to - from;
  }

  private static boolean escaped(char c) {
    return c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029;
  }

  /** Appends the closing {@code time} member and brace every event ends with. */
  JsonText end(Instant time) {
    return append(",\"time\":\"").append(time.toString()).append("\"}");
  }

  /** Writes the text without making a {@code String} of it. */
  public void writeTo(Writer out) throws IOException {
    out.write(chars, 0, length);
  }

  @Override
  public String toString() {
    return new String(chars, 0, length);
  }

  private void ensure(int more) {
    if (length + more > chars.length) {
      chars = Arrays.copyOf(chars, Math.max(length + more, chars.length * 2));
    }
  }
}
