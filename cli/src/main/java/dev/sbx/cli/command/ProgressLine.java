package dev.sbx.cli.command;

import dev.sbx.cli.output.Printer;

/** One line on stderr that rewrites itself in place, for a person watching sbx wait. */
final class ProgressLine {

  private static final String SPINNER = "|/-\\";
  private static final String CLEAR_TO_END = "\033[K";

  private final Printer err;
  private final boolean enabled;
  private int frame;
  private boolean shown;

  /**
   * @param enabled whether stderr is a terminal: in a log, redrawn lines are only noise
   */
  ProgressLine(Printer err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  void show(String text) {
    if (enabled) {
      err.raw("\r" + SPINNER.charAt(frame++ % SPINNER.length()) + " " + text + CLEAR_TO_END);
      shown = true;
    }
  }

  /** Removes the line, so that what comes next starts on a clean one. */
  void clear() {
    if (shown) {
      err.raw("\r" + CLEAR_TO_END);
      shown = false;
    }
  }
}
