package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.time.Instant;

/**
 * The exact bytes of one output event, as the store keeps them.
 *
 * @param offset where they start in the exec's stream
 * @param base64 whether the event went out as base64 when it was live
 */
public record OutputChunk(
    OutputStreamKind stream, long offset, byte[] bytes, boolean base64, Instant time) {}
