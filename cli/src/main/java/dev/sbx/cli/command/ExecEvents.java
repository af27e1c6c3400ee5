package dev.sbx.cli.command;

import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Printer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/** Prints one exec's stream events, each once, and knows the seq to resume from. */
final class ExecEvents {

  private final String execId;
  private final Printer out;
  private final Printer err;
  private final boolean jsonLines;
  private long lastSeq;

  ExecEvents(String execId, Printer out, Printer err, boolean jsonLines) {
    this.execId = execId;
    this.out = out;
    this.err = err;
    this.jsonLines = jsonLines;
  }

  boolean jsonLines() {
    return jsonLines;
  }

  /** The first seq not handled yet: what to ask for after reconnecting. */
  long nextSeq() {
    return lastSeq + 1;
  }

  /** Handles one message; returns sbx's exit code once it was the exit event, else null. */
  Integer accept(String message) {
    Map<String, Object> event = event(message);
    if (event == null || !ours(event)) {
      return null;
    }
    Object type = event.get("type");
    if ("gap".equals(type)) {
      gap(event, message);
      return null;
    }
    long seq = number(event.get("seq"));
    // A server without seqs cannot resume, so there is nothing to deduplicate either.
    if (seq > 0 && seq <= lastSeq) {
      return null;
    }
    lastSeq = Math.max(lastSeq, seq);
    if (jsonLines) {
      out.document(message);
    } else if ("output".equals(type)) {
      output(event);
    }
    return "exit".equals(type) ? ExecOutcome.exitCode(event, err) : null;
  }

  /** Bytes of the binary frame header: version, stream, seq, offset, exec id (16). */
  static final int BINARY_HEADER = 34;

  /**
   * Handles one binary frame, an output chunk: version 1, stream (1 stdout, 2 stderr), seq and
   * offset (big-endian 64-bit), exec id, then the bytes. A frame that is not one is ignored.
   */
  Integer acceptBinary(byte[] frame) {
    if (frame.length < BINARY_HEADER || frame[0] != 1 || (frame[1] != 1 && frame[1] != 2)) {
      return null;
    }
    var header = ByteBuffer.wrap(frame);
    long seq = header.getLong(2);
    String id = new String(frame, 18, 16, StandardCharsets.US_ASCII);
    if (!execId.equals(id) || seq <= lastSeq) {
      return null;
    }
    lastSeq = seq;
    (frame[1] == 2 ? err : out).bytes(Arrays.copyOfRange(frame, BINARY_HEADER, frame.length));
    return null;
  }

  private void gap(Map<String, Object> event, String message) {
    long to = number(event.get("to_seq"));
    if (to <= lastSeq) {
      return;
    }
    lastSeq = to;
    if (jsonLines) {
      out.document(message);
    }
    err.line(
        "sbx: output lost: events "
            + number(event.get("from_seq"))
            + "-"
            + to
            + " are no longer kept"
            + (event.get("dropped_bytes") instanceof Number dropped
                ? " (" + dropped.longValue() + " bytes)"
                : ""));
  }

  private void output(Map<String, Object> event) {
    Printer target = "stderr".equals(event.get("stream")) ? err : out;
    write(target, event.get("data"), event.get("encoding"));
  }

  /** Writes output as the command wrote it: base64 carries what is not UTF-8, byte for byte. */
  static void write(Printer target, Object data, Object encoding) {
    if ("base64".equals(encoding)) {
      target.bytes(Base64.getDecoder().decode(Json.text(data)));
    } else {
      target.raw(Json.text(data));
    }
  }

  // The stream is subscribed by exec id, but a filter costs nothing and guards against a server
  // that sends more; a gap may not name its exec.
  private boolean ours(Map<String, Object> event) {
    Object id = event.get("exec_id");
    return id == null || execId.equals(id);
  }

  private static long number(Object value) {
    return value instanceof Number ? ((Number) value).longValue() : 0;
  }

  private static Map<String, Object> event(String message) {
    try {
      return Json.object(message);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
