package dev.sbx.cli.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code \n}-terminated lines from a stream, keeping at most {@code max} bytes of each: a
 * peer that never sends a newline cannot make sbx hold more than that.
 */
final class BoundedLines {

  /**
   * One line without its terminator (nor a {@code \r} before it).
   *
   * @param tooLong the line went on past the limit; {@code text} holds its first bytes only
   */
  record Line(String text, boolean tooLong) {}

  private final InputStream in;
  private final int max;
  private final byte[] buffer = new byte[64 * 1024];
  private int start;
  private int end;

  BoundedLines(InputStream in, int max) {
    this.in = in;
    this.max = max;
  }

  /** The next line, or null at the end of the stream; a last line without a newline counts. */
  Line next() throws IOException {
    var line = new ByteArrayOutputStream();
    boolean any = false;
    boolean tooLong = false;
    while (true) {
      if (start == end) {
        int n = in.read(buffer);
        if (n < 0) {
          return any ? line(line, tooLong) : null;
        }
        start = 0;
        end = n;
      }
      any = true;
      int newline = indexOfNewline();
      int stop = newline < 0 ? end : newline;
      int take = Math.min(stop - start, max - line.size());
      tooLong |= take < stop - start;
      line.write(buffer, start, take);
      start = newline < 0 ? end : newline + 1;
      if (newline >= 0) {
        return line(line, tooLong);
      }
    }
  }

  private int indexOfNewline() {
    for (int i = start; i < end; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static Line line(ByteArrayOutputStream bytes, boolean tooLong) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    return new Line(text, tooLong);
  }
}
