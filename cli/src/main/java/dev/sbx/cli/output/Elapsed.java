package dev.sbx.cli.output;

import java.time.Duration;

/** Formats how long something took in its two largest units: 1.2s, 3m4s, 2h5m, 1d3h. */
public final class Elapsed {

  private Elapsed() {}

  public static String of(Duration elapsed) {
    long millis = Math.max(0, elapsed.toMillis());
    long seconds = millis / 1_000;
    if (seconds < 60) {
      // Tenths, because most execs are short and "0s" would say nothing about them.
      return seconds + "." + (millis % 1_000) / 100 + "s";
    }
    if (seconds < 3_600) {
      return seconds / 60 + "m" + seconds % 60 + "s";
    }
    if (seconds < 86_400) {
      return seconds / 3_600 + "h" + seconds % 3_600 / 60 + "m";
    }
    return seconds / 86_400 + "d" + seconds % 86_400 / 3_600 + "h";
  }
}
