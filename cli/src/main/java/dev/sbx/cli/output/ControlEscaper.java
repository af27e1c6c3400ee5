package dev.sbx.cli.output;

import java.io.PrintStream;

/**
 * Writes a program's output with its control characters shown as escapes, so that a terminal
 * displays them instead of acting on them: otherwise a program in a sandbox could clear the user's
 * screen, set the window title or make the terminal answer back as if the user had typed.
 *
 * <p>Escaped: C0 controls except {@code \n}, {@code \r}, {@code \t} and {@code \b}, DEL, and C1
 * controls (U+0080 to U+009F, as UTF-8 encodes them). ESC becomes the six characters <code>
 * &#92;u001b</code>: JSON's, Java's and printf's spelling, so JSON lines stay valid JSON with the
 * same values. One instance per stream, because a character may be split across two writes.
 */
final class ControlEscaper {

  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  // UTF-8 encodes U+0080..U+00BF, the C1 controls among them, as 0xC2 and one more byte.
  private static final int C1_LEAD = 0xC2;

  private final byte[] escape = {'\\', 'u', '0', '0', 0, 0};
  private boolean afterC1Lead;

  /** Writes {@code bytes} in the runs between escapes, so the output is never copied. */
  void write(PrintStream out, byte[] bytes) {
    int run = 0;
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      if (afterC1Lead && b <= 0x9F && b >= 0x80) {
        // The escape replaces the lead byte too; one that ended the last write is already out, and
        // the terminal shows it as a harmless replacement character.
        int lead = i > 0 ? i - 1 : 0;
        out.write(bytes, run, lead - run);
        writeEscape(out, b);
        run = i + 1;
      } else if (isControl(b)) {
        out.write(bytes, run, i - run);
        writeEscape(out, b);
        run = i + 1;
      }
      afterC1Lead = b == C1_LEAD;
    }
    out.write(bytes, run, bytes.length - run);
  }

  private static boolean isControl(int b) {
    if (b < 0x20) {
      return b != '\n' && b != '\r' && b != '\t' && b != '\b';
    }
    return b == 0x7F;
  }

  private void writeEscape(PrintStream out, int codePoint) {
    escape[4] = HEX[codePoint >> 4];
    escape[5] = HEX[codePoint & 0xF];
    out.write(escape, 0, escape.length);
  }
}
