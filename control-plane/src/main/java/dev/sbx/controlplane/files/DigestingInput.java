package dev.sbx.controlplane.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An upload's body as it passes: its size and SHA-256, for the answer. */
final class DigestingInput extends FilterInputStream {

  private final MessageDigest sha256;
  private long size;

  DigestingInput(InputStream in) {
    super(in);
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      sha256.update((byte) b);
      size++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      sha256.update(b, off, n);
      size += n;
    }
    return n;
  }

  long size() {
    return size;
  }

  String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }
}
