package dev.sbx.sidecar;

import java.util.Locale;
import java.util.Map;

/**
 * A frame sent to the control plane and not answered yet.
 *
 * @param exec the exec it belongs to
 * @param kind what it tells the control plane
 * @param stream the output file, for OUTPUT
 * @param offset where an output chunk starts in its file
 * @param end where it ends, which is the offset its acknowledgement carries
 * @param sentNanos when it was sent, by {@link System#nanoTime()}
 */
record Event(
    ExecTail exec, Kind kind, ExecTail.Stream stream, long offset, long end, long sentNanos) {

  /** What a frame tells the control plane. */
  enum Kind {
    START,
    OUTPUT,
    EXIT
  }

  /** Whether an acknowledgement is the one this frame waits for. */
  boolean matches(Map<String, Object> ack) {
    if (!exec.id().equals(ack.get("exec_id"))) {
      return false;
    }
    Object ackStream = ack.get("stream");
    Object ackOffset = ack.get("offset");
    return kind != Kind.OUTPUT
        || (ackStream == null || ackStream.equals(stream.wireName()))
            && (ackOffset == null || ackOffset.equals(end));
  }

  @Override
  public String toString() {
    String what = kind.name().toLowerCase(Locale.ROOT) + " of exec " + exec.id();
    return kind == Kind.OUTPUT
        ? what + " (" + stream.wireName() + " bytes " + offset + "-" + end + ")"
        : what;
  }
}
