package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One output event's fixed-size record in a {@link StoredOutput}'s index: its stream, whether it
 * went out as base64, where its bytes start in the stream, how many (-1: dropped), and when.
 *
 * @param length its bytes; -1 when they went with files dropped meanwhile
 */
record IndexRecord(OutputStreamKind stream, boolean base64, long offset, int length, Instant time) {

  static final int SIZE = 32;

  static IndexRecord of(ExecEvent.Output event, int length) {
    return new IndexRecord(event.stream(), event.base64(), event.offset(), length, event.time());
  }

  ByteBuffer encode() {
    var record = ByteBuffer.allocate(SIZE);
    record.put(0, (byte) stream.ordinal());
    record.put(1, (byte) (base64 ? 1 : 0));
    record.putLong(8, offset);
    record.putInt(16, length);
    record.putLong(24, time.getEpochSecond() * 1_000_000_000L + time.getNano());
    return record;
  }

  static IndexRecord decode(ByteBuffer record) {
    long nanos = record.getLong(24);
    return new IndexRecord(
        OutputStreamKind.values()[record.get(0) & 1],
        record.get(1) == 1,
        record.getLong(8),
        record.getInt(16),
        Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
  }
}
