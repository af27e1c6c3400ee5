package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.Terminal;
import dev.sbx.controlplane.runtime.TerminalSize;
import java.io.IOException;
import java.util.Map;

/**
 * The input side of a command on a terminal in a local sandbox. Typed bytes go through the exec's
 * {@code .in} FIFO, which sbx-init relays to the terminal's master as fast as the terminal takes
 * them; a resize and a signal are lines to sbx-init, which holds the master (a TIOCSWINSZ, and a
 * kill of the group TIOCGPGRP names: what the kernel's own terminal does for Ctrl-C).
 */
final class LocalTerminal implements Terminal {

  // Linux x86-64 and arm64 numbers; sbx-init takes the number, so the name is checked here.
  private static final Map<String, Integer> NUMBERS =
      Map.of(
          "HUP", 1, "INT", 2, "QUIT", 3, "KILL", 9, "USR1", 10, "USR2", 12, "TERM", 15, "CONT", 18,
          "TSTP", 20, "WINCH", 28);

  private final SandboxInit init;
  private final RunningExec exec;

  LocalTerminal(SandboxInit init, RunningExec exec) {
    this.init = init;
    this.exec = exec;
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    exec.type(data, offset, length);
  }

  @Override
  public void resize(TerminalSize size) throws IOException {
    init.tell("w " + exec.execId() + " " + size.cols() + " " + size.rows());
  }

  @Override
  public void signal(String name) throws IOException {
    var number = NUMBERS.get(name);
    if (number == null) {
      throw new IllegalArgumentException("no such signal: " + name);
    }
    init.tell("k " + exec.execId() + " " + number);
  }
}
