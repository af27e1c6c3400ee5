package dev.sbx.controlplane.exec;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/** Keeps a sync exec's output for its answer, up to a limit. */
final class OutputCapture {

  private final long limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private boolean truncated;

  OutputCapture(long limit) {
    this.limit = limit;
  }

  synchronized void add(byte[] data, int length) {
    long room = limit - bytes.size();
    if (length > room) {
      truncated = true;
    }
    bytes.write(data, 0, (int) Math.max(0, Math.min(length, room)));
  }

  synchronized boolean truncated() {
    return truncated;
  }

  /** The output as text, or null when it is not UTF-8 (then see {@link #base64()}). */
  synchronized String text() {
    var all = bytes.toByteArray();
    // A cut at the limit may split a character; the text then ends before it.
    return Utf8.decode(all, 0, truncated ? Utf8.completeLength(all, all.length) : all.length);
  }

  synchronized String base64() {
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
