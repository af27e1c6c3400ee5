package dev.sbx.cli.mcp;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the events of a {@code text/event-stream} and gives the data of each {@code message} event:
 * in the Streamable HTTP transport, one JSON-RPC message.
 *
 * <p>Lines end with {@code \n} (a {@code \r} before it is dropped); a lone {@code \r} as a line
 * end, which the SSE format allows but no MCP server sends, is not recognised.
 */
final class SseReader {

  private final BoundedLines lines;
  private final int max;

  /**
   * @param max the most bytes of data one event may carry
   */
  SseReader(InputStream in, int max) {
    this.lines = new BoundedLines(in, max);
    this.max = max;
  }

  /**
   * The data of the next message event, or null when the stream ended; an event the stream ended in
   * the middle of is dropped, as the SSE format says.
   *
   * @throws MessageTooLargeException when an event's data is larger than the limit
   */
  String next() throws IOException {
    var data = new StringBuilder();
    boolean hasData = false;
    String event = "";
    while (true) {
      var line = lines.next();
      if (line == null) {
        return null;
      }
      if (line.tooLong()) {
        throw new MessageTooLargeException(max);
      }
      String text = line.text();
      if (text.isEmpty()) {
        if (hasData && (event.isEmpty() || event.equals("message"))) {
          return data.toString();
        }
        data.setLength(0);
        hasData = false;
        event = "";
        continue;
      }
      if (text.startsWith(":")) {
        continue; // a comment: servers send them to keep the connection open
      }
      int colon = text.indexOf(':');
      String field = colon < 0 ? text : text.substring(0, colon);
      String value = colon < 0 ? "" : text.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
        // Characters, not bytes: close enough for a bound, and never more than 3x the bytes.
        if (data.length() > max) {
          throw new MessageTooLargeException(max);
        }
      } else if (field.equals("event")) {
        event = value;
      }
    }
  }
}
