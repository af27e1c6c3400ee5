package dev.sbx.controlplane.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * An upload's body cut into frames the upload helper reads one by one: a decimal length and a
 * newline, then that many bytes; a length of 0 ends it. The helper renames its file into place only
 * after the 0, so a body that breaks off, for any reason and in any runtime, never becomes a file.
 * A pod exec's stdin (protocol v4) has no end of file of its own to say the body is whole.
 */
final class FramedInput extends InputStream {

  /**
   * Each frame costs the helper one dd, a few ms to start: a body of unknown length goes in frames
   * of this size, held in memory one at a time.
   */
  static final int FRAME = 1 << 20;

  private final InputStream body;
  private final long declared; // the body's length when the client said it, else -1
  private long declaredLeft;
  private byte @Nullable [] frame;
  private byte[] header = new byte[0];
  private int headerAt;
  private int frameLength;
  private int frameAt;
  private boolean ended;
  private boolean started;

  /** A body of unknown length: frames of {@link #FRAME} bytes. */
  FramedInput(InputStream body) {
    this(body, -1);
  }

  /**
   * A body whose length the client declared goes as one frame streamed as it comes (1 GiB in 1 MiB
   * frames started 1024 dd's: 5.5 s for the upload, measured, where the sandbox's own pipe to its
   * disk took 2.5); one that ends short of it fails, so the helper never sees its final 0.
   */
  FramedInput(InputStream body, long declared) {
    this.body = body;
    this.declared = declared;
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
    if (frame == null) {
      int n = body.read(b, off, Math.min(len, frameLength - frameAt));
      if (n < 0) {
        throw new IOException(
            "the body ended after "
                + (declared - declaredLeft + frameAt)
                + " of "
                + declared
                + " bytes");
      }
      frameAt += n;
      return n;
    }
    int n = Math.min(len, frameLength - frameAt);
    System.arraycopy(frame, frameAt, b, off, n);
    frameAt += n;
    return n;
  }

  private void next() throws IOException {
    frameAt = 0;
    if (declared >= 0) {
      // The declared length as frames streamed as they come (int-sized parts), then the end.
      if (started) {
        declaredLeft -= frameLength;
      } else {
        started = true;
        declaredLeft = declared;
      }
      frameLength = (int) Math.min(declaredLeft, Integer.MAX_VALUE);
    } else {
      if (frame == null) {
        frame = new byte[FRAME];
      }
      frameLength = body.readNBytes(frame, 0, FRAME);
    }
    ended = frameLength == 0;
    header = (frameLength + "\n").getBytes(StandardCharsets.US_ASCII);
    headerAt = 0;
  }
}
