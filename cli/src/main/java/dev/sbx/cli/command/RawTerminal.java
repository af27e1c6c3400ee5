package dev.sbx.cli.command;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The local terminal in raw mode for {@code sbx shell}, through {@code stty} on {@code /dev/tty},
 * and put back as it was on every way out: the caller's finally, and a shutdown hook for SIGTERM,
 * SIGHUP and SIGINT (in raw mode Ctrl-C is a byte for the remote side, not a signal here).
 *
 * <p>Why stty and not JLine, measured on 2026-12-04, JDK 17, against a JVM that does nothing, for
 * saving the settings, going raw, reading the size and restoring them. In a tmux pane, 25
 * alternating rounds, medians: four stty runs +46 ms; jline-terminal 3.30.4's system terminal +479
 * ms. With hyperfine in a pty, the JVM flags of bin/sbx, two sessions of 40 and 60 runs: stty +52
 * and +55 ms; JLine through JNI (jline-terminal, -native and -terminal-jni, 0.5 MB of jar) +168 and
 * +215 ms; JLine's exec provider, which runs stty itself, +318 and +507 ms. One {@code sh -c}
 * running the three stty was no faster than four forks. The CLI's start-up budget is 250 ms, and
 * what JLine adds (terminfo, key maps, line editing) is the sandbox terminal's business, so stty.
 */
final class RawTerminal implements AutoCloseable {

  private static final File TTY = new File("/dev/tty");

  private final String saved;
  private final Thread restoreOnExit;
  private boolean restored;

  private RawTerminal(String saved) {
    this.saved = saved;
    this.restoreOnExit = new Thread(this::restore, "sbx-restore-terminal");
    Runtime.getRuntime().addShutdownHook(restoreOnExit);
  }

  /** Saves the terminal's settings, then makes it raw: every byte as typed, no echo. */
  static RawTerminal enter() throws IOException {
    var terminal = new RawTerminal(stty("-g").strip());
    stty("raw", "-echo");
    return terminal;
  }

  /** The terminal's size, or null when it cannot be read. */
  static WindowSize.Size size() {
    try {
      var words = stty("size").strip().split(" ");
      if (words.length == 2) {
        int rows = Integer.parseInt(words[0]);
        int cols = Integer.parseInt(words[1]);
        if (rows > 0 && cols > 0) {
          return new WindowSize.Size(cols, rows);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no terminal size to tell: the server's default holds
    }
    return null;
  }

  /** Puts the settings back, once. */
  synchronized void restore() {
    if (restored) {
      return;
    }
    restored = true;
    try {
      stty(saved);
    } catch (IOException e) {
      // The terminal went away (its window closed): nothing left to restore.
    }
  }

  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreOnExit);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs and finds the terminal restored
    }
  }

  private static String stty(String... args) throws IOException {
    var command = new String[args.length + 1];
    command[0] = "stty";
    System.arraycopy(args, 0, command, 1, args.length);
    var process =
        new ProcessBuilder(command)
            .redirectInput(TTY)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    try {
      if (process.waitFor() != 0) {
        throw new IOException("stty " + String.join(" ", args) + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running stty", e);
    }
    return out;
  }
}
