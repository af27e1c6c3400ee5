package dev.sbx.cli.command;

import sun.misc.Signal;

/**
 * Tells a listener each time the local terminal's window changes size (SIGWINCH), with its new
 * size. The JDK has no API for the signal but {@code sun.misc.Signal}, which {@code
 * jdk.unsupported} exports for exactly this.
 */
final class WindowSize {

  /** Hears a new size. */
  interface Listener {
    void resized(int cols, int rows);
  }

  private WindowSize() {}

  /** Starts following; the returned thread is null (the handler runs on the JVM's own). */
  static Thread follow(Listener listener) {
    try {
      Signal.handle(
          new Signal("WINCH"),
          signal -> {
            var size = RawTerminal.size();
            if (size != null) {
              listener.resized(size[0], size[1]);
            }
          });
    } catch (IllegalArgumentException e) {
      // no SIGWINCH on this system: the size stays what it was at the start
    }
    return null;
  }
}
