package dev.sbx.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Formats how long ago something happened in its largest whole unit: 5s, 3m, 2h, 4d. */
public final class Age {

  private Age() {}

  public static String of(Duration age) {
    long seconds = Math.max(0, age.getSeconds());
    if (seconds >= 86_400) {
      return seconds / 86_400 + "d";
    }
    if (seconds >= 3_600) {
      return seconds / 3_600 + "h";
    }
    if (seconds >= 60) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  /** The age of an RFC 3339 timestamp at {@code now}, or {@code null} when there is none. */
  public static String since(Object timestamp, Instant now) {
    if (!(timestamp instanceof String)) {
      return null;
    }
    try {
      return of(Duration.between(OffsetDateTime.parse((String) timestamp).toInstant(), now));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
