package dev.sbx.sidecar;

import java.util.Locale;

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
  boolean matches(Answer ack) {
    if (!exec.id().equals(ack.execId())) {
      return false;
    }
    return kind != Kind.OUTPUT
        || (ack.stream() == null || ack.stream().equals(stream.wireName()))
            && (ack.offset() == null || ack.offset() == end);
  }

  @Override
  public String toString() {
    String what = kind.name().toLowerCase(Locale.ROOT) + " of exec " + exec.id();
    return kind == Kind.OUTPUT
        ? what + " (" + stream.wireName() + " bytes " + offset + "-" + end + ")"
        : what;
  }
}
