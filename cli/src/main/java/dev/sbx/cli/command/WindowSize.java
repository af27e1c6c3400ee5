package dev.sbx.cli.command;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The size of the window {@code sbx shell} draws in, and news of its changes. The real one asks
 * {@code stty size} and hears SIGWINCH; tests give their own.
 */
interface WindowSize {

  /**
   * A window's size in character cells.
   *
   * @param cols columns
   * @param rows rows
   */
  record Size(int cols, int rows) {}

  /** The size now, or null when there is none to tell (not a terminal). */
  Size current();

  /** Calls {@code changed} after each change of size, from a thread of the caller's choosing. */
  void follow(Runnable changed);

  /** No window: a pipe. The server's default size holds. */
  WindowSize NONE =
      new WindowSize() {
        @Override
        public Size current() {
          return null;
        }

        @Override
        public void follow(Runnable changed) {}
      };

  /** The controlling terminal's window. */
  static WindowSize ofTerminal() {
    return new Terminal();
  }

  /**
   * The JDK has no API for SIGWINCH but {@code sun.misc.Signal}, which {@code jdk.unsupported}
   * exports for exactly this; its handler runs on a thread of the JVM's own.
   */
  final class Terminal implements WindowSize {
    @Override
    public Size current() {
      return RawTerminal.size();
    }

    @Override
    public void follow(Runnable changed) {
      try {
        // An inner class rather than a lambda: spinning a lambda class costs start-up time.
        Signal.handle(
            new Signal("WINCH"),
            new SignalHandler() {
              @Override
              public void handle(Signal signal) {
                changed.run();
              }
            });
      } catch (IllegalArgumentException e) {
        // no SIGWINCH on this system: the size stays what it was at the start
      }
    }
  }
}
