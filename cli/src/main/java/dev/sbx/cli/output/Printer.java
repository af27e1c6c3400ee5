package dev.sbx.cli.output;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Writes text to one output stream as UTF-8 and flushes at once, so output appears live. */
public final class Printer {

  private final PrintStream stream;
  private final ControlEscaper escaper;

  public Printer(PrintStream stream) {
    this(stream, null);
  }

  private Printer(PrintStream stream, ControlEscaper escaper) {
    this.stream = stream;
    this.escaper = escaper;
  }

  /**
   * A printer to the same stream that shows control characters as escapes rather than sending them:
   * for a sandboxed program's output bound for a terminal.
   */
  public Printer escapingControls() {
    return new Printer(stream, new ControlEscaper());
  }

  public void line(String text) {
    raw(text + "\n");
  }

  /** Writes text as UTF-8; Java 17's default charset follows the locale, so never rely on it. */
  public void raw(String text) {
    bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes as they are (but for escaped controls), for output that is not text. */
  public void bytes(byte[] bytes) {
    if (escaper == null) {
      stream.write(bytes, 0, bytes.length);
    } else {
      escaper.write(stream, bytes);
    }
    stream.flush();
  }

  /** Prints a JSON document as the server sent it, newline-terminated. */
  public void document(String json) {
    raw(json.endsWith("\n") ? json : json + "\n");
  }
}
