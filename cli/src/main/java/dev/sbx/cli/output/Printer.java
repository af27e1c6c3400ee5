package dev.sbx.cli.output;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Writes text to one output stream as UTF-8 and flushes at once, so output appears live. */
public final class Printer {

  private final PrintStream stream;

  public Printer(PrintStream stream) {
    this.stream = stream;
  }

  public void line(String text) {
    raw(text + "\n");
  }

  /**
   * Writes text exactly as given; Java 17's default charset follows the locale, so never rely on
   * it.
   */
  public void raw(String text) {
    bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes as they are, for output that is not text. */
  public void bytes(byte[] bytes) {
    stream.write(bytes, 0, bytes.length);
    stream.flush();
  }

  /** Prints a JSON document as the server sent it, newline-terminated. */
  public void document(String json) {
    raw(json.endsWith("\n") ? json : json + "\n");
  }
}
