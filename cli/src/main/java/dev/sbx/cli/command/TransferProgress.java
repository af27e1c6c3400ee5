package dev.sbx.cli.command;

/**
 * The progress line of a transfer: shown only on a terminal, and only once it has lasted a second,
 * so that quick copies print nothing.
 */
final class TransferProgress {

  private static final long QUIET_MILLIS = 1000;
  private static final long REDRAW_MILLIS = 200;

  private final ProgressLine line;
  private final WaitClock clock;
  private final long start;
  private long lastDrawn;

  TransferProgress(ProgressLine line, WaitClock clock) {
    this.line = line;
    this.clock = clock;
    this.start = clock.millis();
  }

  void moved(long bytes) {
    long now = clock.millis();
    if (now - start < QUIET_MILLIS || now - lastDrawn < REDRAW_MILLIS) {
      return;
    }
    lastDrawn = now;
    double seconds = (now - start) / 1e3;
    line.show(String.format("%.1f MB, %.1f MB/s", bytes / 1e6, bytes / 1e6 / seconds));
  }

  void done() {
    line.clear();
  }
}
