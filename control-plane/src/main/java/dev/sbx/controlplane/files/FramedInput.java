package dev.sbx.controlplane.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An upload's body cut into frames the upload helper reads one by one: a decimal length and a
 * newline, then that many bytes; a length of 0 ends it. The helper renames its file into place only
 * after the 0, so a body that breaks off, for any reason and in any runtime, never becomes a file.
 * A pod exec's stdin (protocol v4) has no end of file of its own to say the body is whole.
 */
final class FramedInput extends InputStream {

  /** Each frame costs the helper one dd, so frames are large. */
  static final int FRAME = 1 << 20;

  private final InputStream body;
  private final byte[] frame = new byte[FRAME];
  private byte[] header = new byte[0];
  private int headerAt;
  private int frameLength;
  private int frameAt;
  private boolean ended;

  FramedInput(InputStream body) {
    this.body = body;
  }

  @Override
  public int read() throws IOException {
    var one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (headerAt == header.length && frameAt == frameLength) {
      if (ended) {
        return -1;
      }
      next();
    }
    if (headerAt < header.length) {
      int n = Math.min(len, header.length - headerAt);
      System.arraycopy(header, headerAt, b, off, n);
      headerAt += n;
      return n;
    }
    int n = Math.min(len, frameLength - frameAt);
    System.arraycopy(frame, frameAt, b, off, n);
    frameAt += n;
    return n;
  }

  private void next() throws IOException {
    frameLength = body.readNBytes(frame, 0, FRAME);
    frameAt = 0;
    ended = frameLength == 0;
    header = (frameLength + "\n").getBytes(StandardCharsets.US_ASCII);
    headerAt = 0;
  }
}
