package dev.sbx.controlplane.runtime.kubernetes;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first bytes written to it, up to a cap, and drops the rest: a sandbox's output. */
final class CappedOutput extends OutputStream {

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final int cap;

  CappedOutput(int cap) {
    this.cap = cap;
  }

  @Override
  public synchronized void write(int b) {
    if (kept.size() < cap) {
      kept.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    kept.write(bytes, offset, Math.max(0, Math.min(length, cap - kept.size())));
  }

  synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }
}
