package dev.sbx.controlplane.config;

import java.time.Duration;

/** Parses durations written the way the original program's users write them: 15m, 1h30m, 90s. */
final class GoDuration {

  private GoDuration() {}

  /** Returns the duration, or throws IllegalArgumentException with a message fit for a user. */
  static Duration parse(String text) {
    var s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    long nanos = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw invalid(text);
      }
      double number = Double.parseDouble(s.substring(start, i));
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      nanos += (long) (number * unitNanos(s.substring(unitStart, i), text));
    }
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  private static double unitNanos(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> throw invalid(text);
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "\"" + text + "\" is not a duration (examples: 90s, 15m, 1h30m)");
  }
}
