package dev.sbx.sidecar;

import java.io.CharArrayWriter;
import java.nio.CharBuffer;

/** The characters of the frame being built, kept for the next frame and shown without a copy. */
final class FrameBuffer extends CharArrayWriter {

  FrameBuffer(int capacity) {
    super(capacity);
  }

  /** What was written since the last {@link #reset()}; valid until the next write. */
  CharSequence chars() {
    return CharBuffer.wrap(buf, 0, count);
  }
}
