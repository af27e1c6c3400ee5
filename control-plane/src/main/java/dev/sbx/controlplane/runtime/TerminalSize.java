package dev.sbx.controlplane.runtime;

/**
 * The size of a terminal in character cells, as {@code struct winsize} and the pod exec resize
 * channel carry it.
 */
public record TerminalSize(int cols, int rows) {

  /** Both fit the kernel's 16-bit fields; no real screen comes near. */
  public static final int MAX = 10_000;

  public TerminalSize {
    if (cols < 1 || cols > MAX || rows < 1 || rows > MAX) {
      throw new IllegalArgumentException("a terminal size is 1 to " + MAX + " each way");
    }
  }
}
