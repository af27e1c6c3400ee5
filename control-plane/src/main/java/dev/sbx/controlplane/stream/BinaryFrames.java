package dev.sbx.controlplane.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Terminal output as binary frames, one per write; a client gone is an IOException. */
final class BinaryFrames extends OutputStream {

  private final EventSender out;

  BinaryFrames(EventSender out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    if (length > 0 && !out.sendBinary(ByteBuffer.wrap(data, offset, length))) {
      throw new IOException("the client went away");
    }
  }
}
