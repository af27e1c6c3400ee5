package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.Escaped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads sbx-init's reports, one short ASCII line each, in bounded memory. Whatever else arrives, an
 * overlong line, a byte that is not printable ASCII, or more lines than the requests sent can
 * explain, is a {@link ProtocolViolation}: the channel carries something other than sbx-init.
 */
final class ReportReader {

  /** The longest report: {@code x <exec id> <status>} and the like are far shorter. */
  static final int MAX_LINE = 128;

  /** Lines before any request: {@code ready}, and a few to spare. */
  private static final long FIRST_LINES = 4;

  /** Lines one request may cause: {@code s} or {@code e}, then {@code x}. */
  private static final long LINES_PER_REQUEST = 2;

  private final InputStream in;
  private final byte[] buffer = new byte[4096];
  private final byte[] line = new byte[MAX_LINE];
  private final AtomicLong allowance = new AtomicLong(FIRST_LINES);
  private int start;
  private int end;

  ReportReader(InputStream in) {
    this.in = in;
  }

  /** Makes room for the lines a request just sent will cause; call before sending it. */
  void expectReplies() {
    allowance.addAndGet(LINES_PER_REQUEST);
  }

  /**
   * The next line, without its newline; null at the end of the stream.
   *
   * @throws ProtocolViolation when what arrives cannot be a report
   */
  @Nullable String next() throws IOException {
    int length = 0;
    while (true) {
      if (start == end) {
        int n = in.read(buffer);
        if (n < 0) {
          if (length > 0) {
            throw new ProtocolViolation("a report without its newline", line, length);
          }
          return null;
        }
        start = 0;
        end = n;
      }
      byte b = buffer[start++];
      if (b == '\n') {
        if (allowance.decrementAndGet() < 0) {
          throw new ProtocolViolation("more reports than requests", line, length);
        }
        return new String(line, 0, length, StandardCharsets.US_ASCII);
      }
      if (length == MAX_LINE) {
        throw new ProtocolViolation("a report longer than " + MAX_LINE + " bytes", line, length);
      }
      line[length++] = b;
      if (b < 0x20 || b > 0x7e) {
        throw new ProtocolViolation("a byte that is not printable ASCII", line, length);
      }
    }
  }

  /** What came on the channel cannot have come from sbx-init. */
  static final class ProtocolViolation extends IOException {

    private final String sample;

    ProtocolViolation(String what, byte[] input, int length) {
      super(what);
      this.sample = Escaped.of(input, 0, Math.min(length, Escaped.SAMPLE));
    }

    /** A report line that is not one of the protocol's. */
    static ProtocolViolation malformed(String line) {
      var bytes = line.getBytes(StandardCharsets.US_ASCII);
      return new ProtocolViolation("a malformed report", bytes, bytes.length);
    }

    /** At most {@value Escaped#SAMPLE} bytes of the offending input, escaped. */
    String sample() {
      return sample;
    }
  }
}
