package dev.sbx.bench;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Counts what one stream subscriber received, straight from the JSON bytes of each event: events,
 * decoded output bytes (JSON escapes undone, base64 decoded), holes in seq, gap events, and the
 * exit. Only the fields it needs are read, so the client stays cheaper than the server it measures.
 */
final class StreamTally {

  private static final Charset UTF8 = StandardCharsets.UTF_8;
  private static final byte[] SEQ = bytes("\"seq\":");
  private static final byte[] TYPE = bytes("\"type\":\"");
  private static final byte[] DATA = bytes("\"data\":\"");
  private static final byte[] BASE64 = bytes(",\"encoding\":\"base64\"");
  private static final byte[] EXIT_CODE = bytes("\"exit_code\":");
  private static final byte[] STATUS = bytes("\"status\":\"");

  private volatile long events;
  private long outputBytes;
  private long lastSeq;
  private long holes;
  private long gaps;
  private Integer exitCode;
  private String status;

  /** One text message: a JSON event. */
  void accept(byte[] buf, int off, int len) {
    int end = off + len;
    int typeAt = indexOf(buf, off, end, TYPE);
    if (typeAt < 0) {
      throw new IllegalArgumentException("not an event: " + new String(buf, off, len, UTF8));
    }
    int typeStart = typeAt + TYPE.length;
    var type = new String(buf, typeStart, indexOf(buf, typeStart, end, '"') - typeStart, UTF8);
    if (type.equals("gap")) {
      gaps++;
    } else {
      long seq = number(buf, indexOf(buf, off, typeAt, SEQ) + SEQ.length, end);
      if (seq != lastSeq + 1) {
        holes++;
      }
      lastSeq = seq;
    }
    if (type.equals("output")) {
      int dataAt = indexOf(buf, typeStart, end, DATA);
      if (dataAt >= 0) {
        outputBytes += data(buf, dataAt + DATA.length, end);
      }
    } else if (type.equals("exit")) {
      exitCode = (int) number(buf, indexOf(buf, typeStart, end, EXIT_CODE) + EXIT_CODE.length, end);
      int statusStart = indexOf(buf, typeStart, end, STATUS) + STATUS.length;
      status =
          new String(buf, statusStart, indexOf(buf, statusStart, end, '"') - statusStart, UTF8);
    }
    events++;
  }

  long events() {
    return events;
  }

  long outputBytes() {
    return outputBytes;
  }

  long holes() {
    return holes;
  }

  long gaps() {
    return gaps;
  }

  Integer exitCode() {
    return exitCode;
  }

  String status() {
    return status;
  }

  /** Decoded size of the JSON string starting at {@code start}, base64 when the event says so. */
  private static long data(byte[] buf, int start, int end) {
    long decoded = 0;
    int i = start;
    while (i < end) {
      byte b = buf[i];
      if (b == '"') {
        break;
      }
      if (b != '\\') {
        decoded++;
        i++;
        continue;
      }
      byte escape = buf[i + 1];
      if (escape != 'u') {
        decoded++;
        i += 2;
        continue;
      }
      int cp = Integer.parseInt(new String(buf, i + 2, 4, UTF8), 16);
      i += 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        decoded += 4; // with the low surrogate that follows
        i += 6;
      } else {
        decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
      }
    }
    int rest = i + 1;
    if (rest + BASE64.length <= end && indexOf(buf, rest, rest + BASE64.length, BASE64) == rest) {
      int chars = i - start;
      int padding = chars > 0 && buf[i - 1] == '=' ? (chars > 1 && buf[i - 2] == '=' ? 2 : 1) : 0;
      return chars / 4L * 3 - padding;
    }
    return decoded;
  }

  private static long number(byte[] buf, int start, int end) {
    long value = 0;
    int i = start;
    boolean negative = i < end && buf[i] == '-';
    if (negative) {
      i++;
    }
    for (; i < end && buf[i] >= '0' && buf[i] <= '9'; i++) {
      value = value * 10 + (buf[i] - '0');
    }
    return negative ? -value : value;
  }

  static int indexOf(byte[] buf, int from, int end, byte[] needle) {
    outer:
    for (int i = from; i <= end - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int indexOf(byte[] buf, int from, int end, char c) {
    for (int i = from; i < end; i++) {
      if (buf[i] == c) {
        return i;
      }
    }
    return end;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
