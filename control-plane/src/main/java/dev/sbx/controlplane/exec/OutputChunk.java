package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.time.Instant;
import java.util.Base64;

/**
 * The exact bytes of one output event, as the store keeps them.
 *
 * @param offset where they start in the exec's stream
 * @param base64 whether the event went out as base64 when it was live
 */
public record OutputChunk(
    OutputStreamKind stream, long offset, byte[] bytes, boolean base64, Instant time) {

  /** The output event these bytes were sent as: text when they were, else base64. */
  ExecEvent.Output event(String sandboxId, String execId, long seq) {
    String data = base64 ? null : Utf8.decode(bytes, 0, bytes.length);
    boolean asBase64 = data == null;
    if (asBase64) {
      data = Base64.getEncoder().encodeToString(bytes);
    }
    return new ExecEvent.Output(sandboxId, execId, seq, stream, data, asBase64, offset, time);
  }
}
