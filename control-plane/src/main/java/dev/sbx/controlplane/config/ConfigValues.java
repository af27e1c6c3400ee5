package dev.sbx.controlplane.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks one raw configuration value against its key's kind. */
final class ConfigValues {

  private ConfigValues() {}

  static Object check(ConfigKey key, ConfigLoader.Source source) {
    var raw = source.value();
    if (key.kind() == ConfigKind.MAP) {
      return null; // merged separately: the file's map plus SANDBOX_ENV_* variables
    }
    if (raw == null) {
      return key.kind() == ConfigKind.LIST ? List.of() : null;
    }
    try {
      return switch (key.kind()) {
        case TEXT -> scalar(raw);
        case CHOICE -> choice(key, scalar(raw));
        case BOOL -> bool(raw);
        case POSITIVE_INT -> integer(raw, 1);
        case NON_NEGATIVE_INT -> integer(raw, 0);
        case DURATION -> GoDuration.parse(scalar(raw));
        case SIZE -> size(scalar(raw));
        case LIST -> list(raw);
        case MAP -> throw new IllegalStateException();
        case CPU_LIMIT, BYTES_LIMIT, COUNT_LIMIT -> limit(key.kind(), scalar(raw).trim());
      };
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(source.origin() + ": " + e.getMessage(), e);
    }
  }

  private static String scalar(Object raw) {
    if (raw instanceof Collection<?> || raw instanceof Map<?, ?>) {
      throw new IllegalArgumentException("expected a single value, not " + raw);
    }
    return String.valueOf(raw);
  }

  private static String choice(ConfigKey key, String value) {
    if (!key.choices().contains(value)) {
      throw new IllegalArgumentException(
          "\"" + value + "\" is not one of " + String.join(", ", key.choices()));
    }
    return value;
  }

  private static boolean bool(Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    return switch (scalar(raw).trim().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "y", "on" -> true;
      case "0", "false", "no", "n", "off" -> false;
      default -> throw new IllegalArgumentException("\"" + raw + "\" is not true or false");
    };
  }

  private static int integer(Object raw, int min) {
    int value;
    if (raw instanceof Integer i) {
      value = i;
    } else {
      try {
        value = Integer.parseInt(scalar(raw).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + raw + "\" is not a whole number");
      }
    }
    if (value < min) {
      throw new IllegalArgumentException(value + " is less than " + min);
    }
    return value;
  }

  /** A limit's text, checked; null for {@value ConfigKey#NO_LIMIT}. */
  private static String limit(ConfigKind kind, String value) {
    if (ConfigKey.NO_LIMIT.equals(value)) {
      return null;
    }
    switch (kind) {
      case CPU_LIMIT -> Quantities.cpuMillis(value);
      case BYTES_LIMIT -> Quantities.bytes(value);
      default -> {
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) < 1) {
          throw new IllegalArgumentException(
              "\"" + value + "\" is not a whole number of at least 1, nor none");
        }
      }
    }
    return value;
  }

  /** Bytes, written as 1048576, 512KiB, 16MiB, 1GiB (or Ki, Mi, Gi as Kubernetes writes them). */
  static long size(String text) {
    var s = text.trim();
    int split = 0;
    while (split < s.length() && Character.isDigit(s.charAt(split))) {
      split++;
    }
    long unit =
        switch (s.substring(split)) {
          case "", "B" -> 1L;
          case "KiB", "Ki" -> 1L << 10;
          case "MiB", "Mi" -> 1L << 20;
          case "GiB", "Gi" -> 1L << 30;
          default -> 0L;
        };
    if (split == 0 || unit == 0) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a size (examples: 1048576, 512KiB, 16MiB, 1GiB)");
    }
    return Long.parseLong(s.substring(0, split)) * unit;
  }

  /** A YAML list, or the comma-separated form of the environment variable. */
  private static List<String> list(Object raw) {
    var items = new ArrayList<String>();
    if (raw instanceof Collection<?> collection) {
      collection.forEach(item -> items.add(scalar(item).trim()));
    } else {
      for (var part : scalar(raw).split(",")) {
        items.add(part.trim());
      }
    }
    items.removeIf(String::isEmpty);
    for (var item : items) {
      if (item.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("\"" + item + "\" contains a space");
      }
    }
    return List.copyOf(items);
  }
}
