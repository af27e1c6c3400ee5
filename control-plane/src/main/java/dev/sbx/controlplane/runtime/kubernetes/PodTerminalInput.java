package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.Terminal;
import dev.sbx.controlplane.runtime.TerminalSize;
import dev.sbx.controlplane.runtime.UnsupportedOptionException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The input side of a {@link PodTerminal}: what is typed goes out on channel 0 of the pod exec, the
 * window's size on channel 4, as kubectl sends them, one frame at a time ({@link ExecInput}). A
 * write waits while the frame before it is unwritten: the terminal's input is full, as when the
 * program does not read it.
 */
final class PodTerminalInput implements Terminal {

  // A pod exec has no signal channel: these signals are what a terminal's line discipline sends
  // its foreground process group for a typed control character (VINTR, VQUIT, VSUSP by default),
  // which is what kubectl does for Ctrl-C. A program that made the terminal raw (vi) reads the
  // byte instead, as it would from a keyboard.
  private static final Map<String, Byte> CONTROL_CHARACTERS =
      Map.of("INT", (byte) 0x03, "QUIT", (byte) 0x1c, "TSTP", (byte) 0x1a);

  private final Object typing = new Object();
  private volatile @Nullable ExecInput frames;
  private volatile boolean ended;

  /** The exec's socket, once open. */
  void attach(ExecInput frames) {
    this.frames = frames;
  }

  /** The command has ended: input is refused from now on. */
  void end() {
    ended = true;
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, data.length);
    // One writer at a time, so that two clients' pastes do not interleave frame by frame.
    synchronized (typing) {
      for (int at = offset, end = offset + length; at < end; at += ExecInput.FRAME) {
        send(ExecInput.STDIN, data, at, Math.min(ExecInput.FRAME, end - at));
      }
    }
  }

  @Override
  public void resize(TerminalSize size) throws IOException {
    // kubectl's TerminalSize as Go encodes it; the kubelet sets the terminal's size from it.
    var json = "{\"Width\":" + size.cols() + ",\"Height\":" + size.rows() + "}";
    var bytes = json.getBytes(StandardCharsets.US_ASCII);
    send(ExecInput.RESIZE, bytes, 0, bytes.length);
  }

  @Override
  public void signal(String name) throws IOException {
    var control = CONTROL_CHARACTERS.get(name);
    if (control == null) {
      throw new UnsupportedOptionException(
          "signal",
          KubernetesRuntime.NAME,
          "a pod exec has no signal channel: only INT, QUIT and TSTP, which a terminal sends for"
              + " Ctrl-C, Ctrl-\\ and Ctrl-Z, can be typed");
    }
    write(new byte[] {control}, 0, 1);
  }

  private void send(byte channel, byte[] data, int offset, int length) throws IOException {
    var out = frames;
    if (out == null || ended) {
      throw new IOException("the command on the terminal has ended");
    }
    try {
      if (!out.send(channel, data, offset, length)) {
        throw new IOException("the connection to the command's terminal is closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the terminal's input was full");
    }
  }
}
