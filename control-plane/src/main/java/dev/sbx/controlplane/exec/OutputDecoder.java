package dev.sbx.controlplane.exec;

import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Turns one output stream, arriving in chunks of any size, into event payloads: text when a chunk
 * is valid UTF-8 (a character cut by the chunk's end waits for the next chunk), base64 of the exact
 * bytes otherwise, so that every byte reaches subscribers unchanged.
 */
final class OutputDecoder {

  /**
   * An event payload: text, or base64 when {@code base64} is true.
   *
   * @param byteLength how many of the stream's bytes it carries
   */
  record Payload(String data, boolean base64, int byteLength) {}

  private byte[] pending = new byte[0];

  @Nullable Payload decode(byte[] chunk, int length) {
    var data = pending.length == 0 ? chunk : concat(pending, chunk, length);
    int total = pending.length + length;
    int complete = Utf8.completeLength(data, total);
    var text = Utf8.decode(data, 0, complete);
    if (text == null) {
      pending = new byte[0];
      return new Payload(
          Base64.getEncoder().encodeToString(Arrays.copyOf(data, total)), true, total);
    }
    pending = Arrays.copyOfRange(data, complete, total);
    return text.isEmpty() ? null : new Payload(text, false, complete);
  }

  /** What is left at the end: a cut-off character, sent as the bytes it is. */
  @Nullable Payload finish() {
    if (pending.length == 0) {
      return null;
    }
    var rest = new Payload(Base64.getEncoder().encodeToString(pending), true, pending.length);
    pending = new byte[0];
    return rest;
  }

  private static byte[] concat(byte[] head, byte[] chunk, int length) {
    var joined = Arrays.copyOf(head, head.length + length);
    System.arraycopy(chunk, 0, joined, head.length, length);
    return joined;
  }
}
