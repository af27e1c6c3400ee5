package dev.sbx.controlplane.files;

import java.io.InputStream;
import java.util.SplittableRandom;

/** A long run of pseudo-random bytes made as it is read, the same for the same seed. */
final class RandomBytes extends InputStream {

  private final SplittableRandom random;
  private long left;

  RandomBytes(long size, long seed) {
    this.random = new SplittableRandom(seed);
    this.left = size;
  }

  @Override
  public int read() {
    var one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (left == 0) {
      return -1;
    }
    int n = (int) Math.min(len, left);
    for (int i = 0; i < n; i += 8) {
      long word = random.nextLong();
      for (int j = 0; j < 8 && i + j < n; j++) {
        b[off + i + j] = (byte) (word >>> (8 * j));
      }
    }
    left -= n;
    return n;
  }
}
