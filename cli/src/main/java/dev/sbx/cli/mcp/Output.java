package dev.sbx.cli.mcp;

import dev.sbx.cli.output.Printer;

/**
 * Where the bridge writes: stdout gets JSON-RPC messages only, one per line, whole, one writer at a
 * time; stderr gets what a person should know, one line each.
 */
final class Output {

  // Enough for a reason and a server's detail; the rest of a long one is of no use on a log line.
  private static final int MAX_LOG_CHARS = 500;

  private final Printer out;
  private final Printer err;

  Output(Printer out, Printer err) {
    this.out = out;
    this.err = err;
  }

  synchronized void message(String json) {
    out.line(json);
  }

  /**
   * Logs a line; control characters become {@code ?}, since it may quote the server, which quotes
   * what sandboxes said.
   */
  void log(String text) {
    var line = new StringBuilder("sbx mcp: ");
    for (int i = 0; i < text.length() && i < MAX_LOG_CHARS; i++) {
      char c = text.charAt(i);
      line.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : c);
    }
    if (text.length() > MAX_LOG_CHARS) {
      line.append("...");
    }
    err.line(line.toString());
  }
}
