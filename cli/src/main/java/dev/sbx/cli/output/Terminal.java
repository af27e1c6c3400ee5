package dev.sbx.cli.output;

import java.io.File;
import java.io.IOException;

/**
 * Whether sbx's stdout and stderr are terminals: escapes and progress lines are for people, while
 * pipes and files get exactly the bytes.
 *
 * @param stdout standard output is a terminal
 * @param stderr standard error is a terminal
 */
public record Terminal(boolean stdout, boolean stderr) {

  /** Neither stream is a terminal, as when sbx runs in-process with captured streams. */
  public static final Terminal NONE = new Terminal(false, false);

  private static final String FDS = "/proc/self/fd";

  /** Asks the operating system about the streams of this process. */
  public static Terminal detect() {
    // System.console() needs stdin to be a terminal as well, so `sbx exec -i ... < script` would
    // pass escape sequences through; it also says nothing of stderr, and costs ~20 ms on a
    // terminal. Linux names each stream's device in /proc, which answers in well under 1 ms.
    if (new File(FDS).isDirectory()) {
      return new Terminal(isDevice(target(1)), isDevice(target(2)));
    }
    boolean console = System.console() != null;
    return new Terminal(console, console);
  }

  /** Whether a path names a terminal device: a pseudo terminal, a console or a serial line. */
  static boolean isDevice(String path) {
    return path.startsWith("/dev/pts/")
        || path.startsWith("/dev/tty")
        || path.equals("/dev/console");
  }

  private static String target(int fd) {
    try {
      return new File(FDS + "/" + fd).getCanonicalPath();
    } catch (IOException e) {
      return "";
    }
  }
}
