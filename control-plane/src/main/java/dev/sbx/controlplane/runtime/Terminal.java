package dev.sbx.controlplane.runtime;

import java.io.IOException;
import java.util.Set;

/**
 * The input side of a command running on a terminal ({@link ExecSpec#tty()}): what is typed, the
 * window's size, and signals to its foreground process group. Its output and end reach the exec's
 * {@link ExecListener} as for any command. Safe to use from several threads.
 */
public interface Terminal {

  /** Signals a client may send, by the names {@code kill -l} prints without {@code SIG}. */
  Set<String> SIGNALS =
      Set.of("INT", "QUIT", "TSTP", "CONT", "HUP", "TERM", "KILL", "USR1", "USR2", "WINCH");

  /**
   * Types the bytes. Blocks while the terminal's input is full (the program is not reading), as a
   * real terminal does.
   *
   * @throws IOException when the command has ended
   */
  void write(byte[] data, int offset, int length) throws IOException;

  /** Resizes the terminal; its foreground process group gets SIGWINCH. */
  void resize(TerminalSize size) throws IOException;

  /**
   * Sends one of {@link #SIGNALS} to the terminal's foreground process group (what Ctrl-C does for
   * INT).
   *
   * @throws UnsupportedOptionException when this runtime cannot send that signal
   */
  void signal(String name) throws IOException;
}
