package dev.sbx.controlplane.runtime;

import java.nio.charset.StandardCharsets;

/**
 * Bytes that came from inside a sandbox, made safe for one log line: printable ASCII is kept, every
 * other byte becomes {@code \xNN}, and the result is cut short.
 */
public final class Escaped {

  /** How many bytes of a sandbox's input a log line shows at most. */
  public static final int SAMPLE = 200;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Escaped() {}

  public static String of(byte[] bytes, int offset, int length) {
    var out = new StringBuilder(length + 16);
    int limit = Math.min(length, SAMPLE);
    for (int i = offset; i < offset + limit; i++) {
      int b = bytes[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\') {
        out.append((char) b);
      } else {
        out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    if (length > limit) {
      out.append("...");
    }
    return out.toString();
  }

  public static String of(String text) {
    var bytes = text.getBytes(StandardCharsets.UTF_8);
    return of(bytes, 0, bytes.length);
  }
}
