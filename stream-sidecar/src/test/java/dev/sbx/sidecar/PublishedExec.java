package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What the fake control plane published for one exec: its events in order and the bytes of each
 * stream, with chunks it already has dropped by offset, as the real one does. Guarded by the
 * server's lock.
 */
final class PublishedExec {

  /**
   * An acknowledgement to send, and what to note once it is written.
   *
   * @param text the ack frame
   * @param onWritten runs under the server's lock once the sidecar can have it
   */
  record Ack(String text, Runnable onWritten) {}

  final List<String> events = new ArrayList<>();
  final long firstResumeSeq;
  final long[] firstOffset = {-1, -1};
  final long[] ackedEnd = new long[2];
  long[] ackedEndAtExit;
  long seq;
  Integer exitCode;
  private final ByteArrayOutputStream[] published = {
    new ByteArrayOutputStream(), new ByteArrayOutputStream()
  };
  private final long[] publishedEnd = new long[2];

  /** An exec the control plane first hears of, which goes on from the sidecar's resume_seq. */
  PublishedExec(long resumeSeq) {
    this.firstResumeSeq = resumeSeq;
    this.seq = resumeSeq;
  }

  byte[] stdout() {
    return published[0].toByteArray();
  }

  byte[] stderr() {
    return published[1].toByteArray();
  }

  /** Publishes a frame unless it is a duplicate; what the sidecar should not have sent is noted. */
  Ack publish(Map<String, Object> frame, List<String> violations) {
    String ack = "{\"type\":\"ack\",\"exec_id\":\"" + frame.get("exec_id") + "\",\"seq\":";
    switch ((String) frame.get("type")) {
      case "start" -> {
        // Sent again on every connection; published once, and not at all for an exec taken up
        // after a restart (resume_seq above 0), whose start went out before.
        if (!events.contains("start") && firstResumeSeq == 0) {
          events.add("start");
          seq++;
        }
        return new Ack(ack + seq + "}", () -> {});
      }
      case "output" -> {
        String stream = (String) frame.get("stream");
        int s = stream.equals("stdout") ? 0 : 1;
        long end = output(s, frame, violations);
        return new Ack(
            ack + seq + ",\"stream\":\"" + stream + "\",\"offset\":" + end + "}",
            () -> ackedEnd[s] = Math.max(ackedEnd[s], end));
      }
      case "exit" -> {
        if (exitCode == null) {
          exitCode = ((Long) frame.get("exit_code")).intValue();
          ackedEndAtExit = ackedEnd.clone();
          events.add("exit");
          seq++;
        }
        return new Ack(ack + seq + "}", () -> {});
      }
      default -> throw new IllegalArgumentException("unknown frame " + frame);
    }
  }

  /** Publishes what of a chunk is new and returns where it ends. */
  private long output(int s, Map<String, Object> frame, List<String> violations) {
    long offset = (Long) frame.get("offset");
    String data = (String) frame.get("data");
    byte[] bytes =
        "base64".equals(frame.get("encoding"))
            ? Base64.getDecoder().decode(data)
            : data.getBytes(UTF_8);
    if (offset < ackedEnd[s]) {
      violations.add(frame.get("stream") + " offset " + offset + " sent again after its ack");
    }
    if (firstOffset[s] < 0) {
      firstOffset[s] = offset;
      publishedEnd[s] = offset;
    }
    if (offset > publishedEnd[s]) {
      violations.add("gap before " + frame.get("stream") + " offset " + offset);
    }
    long end = offset + bytes.length;
    if (end > publishedEnd[s]) {
      int skip = (int) Math.max(0, publishedEnd[s] - offset);
      published[s].write(bytes, skip, bytes.length - skip);
      publishedEnd[s] = end;
      events.add((String) frame.get("stream"));
      seq++;
    }
    return end;
  }
}
