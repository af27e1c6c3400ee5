package dev.sbx.sidecar;

import java.time.Instant;
import java.util.Locale;

/** One line on stderr per notable event; the sidecar has no other output. */
final class Log {

  private Log() {}

  static void info(String format, Object... args) {
    System.err.println(Instant.now() + " " + String.format(Locale.ROOT, format, args));
  }
}
