package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A piece of one exec's stream, read from the output store at a byte offset.
 *
 * @param offset where the bytes start in the stream
 * @param bytes the bytes read; none when nothing is kept past the offset yet
 * @param end bytes the stream holds so far, since the exec started
 * @param keptFrom where the kept bytes start; earlier ones were dropped to stay in the budget
 * @param ended the exec had ended before the read: no byte will follow {@code end}
 */
public record OutputSlice(long offset, byte[] bytes, long end, long keptFrom, boolean ended) {

  static OutputSlice read(EventLog log, String execId, String streamName, long offset, int max) {
    OutputStreamKind stream = RawOutput.streamNamed(streamName);
    RawOutput.checkOffset(offset);
    // Asked before the bytes are: an exec that had ended then has all its output in the store.
    boolean ended = log.ended(execId);
    var store = log.store();
    var output = store == null ? null : store.existing(execId);
    if (output == null) {
      return new OutputSlice(offset, new byte[0], 0, 0, ended);
    }
    long end = output.end(stream);
    long keptFrom = output.base(stream);
    if (offset < keptFrom) {
      throw new OutputDroppedException(log.sandboxId(), execId, offset, keptFrom);
    }
    var buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(max, end - offset)));
    while (buffer.hasRemaining()) {
      int n = output.read(stream, offset + buffer.position(), buffer.slice());
      if (n < 0) {
        throw new OutputDroppedException(log.sandboxId(), execId, offset, output.base(stream));
      }
      if (n == 0) {
        break;
      }
      buffer.position(buffer.position() + n);
    }
    return new OutputSlice(
        offset, Arrays.copyOf(buffer.array(), buffer.position()), end, keptFrom, ended);
  }
}
