package dev.sbx.cli.command;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration the way Go's flags spell it, {@code 90s}, {@code 2m}, {@code 500ms}, or seconds.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    int digits = 0;
    while (digits < value.length() && Character.isDigit(value.charAt(digits))) {
      digits++;
    }
    // Nine digits are years in any unit, and far from overflowing a Duration.
    if (digits == 0 || digits > 9) {
      throw invalid(value);
    }
    long amount = Long.parseLong(value.substring(0, digits));
    return switch (value.substring(digits)) {
      case "", "s" -> Duration.ofSeconds(amount);
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> throw invalid(value);
    };
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException(
        "'" + value + "' is not a duration (expected e.g. 120, 90s, 2m or 500ms)");
  }
}
