package dev.sbx.controlplane.mcp;

import dev.sbx.controlplane.problem.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool call's arguments, read by name and type. A missing or mistyped argument is an {@link
 * InvalidRequestException} naming it, which the caller gets as a tool error, as the REST API
 * answers a 400 naming the field.
 */
final class ToolArguments {

  private final Map<String, Object> values;

  ToolArguments(@Nullable Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  String requiredString(String name) {
    var value = string(name);
    if (value == null || value.isEmpty()) {
      throw new InvalidRequestException(name, "is required");
    }
    return value;
  }

  /** The argument as the client sent it, for a nested object with arguments of its own. */
  @Nullable Object raw(String name) {
    var value = values.get(name);
    if (value != null && !(value instanceof Map)) {
      throw new InvalidRequestException(name, "must be an object");
    }
    return value;
  }

  @Nullable String string(String name) {
    var value = values.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidRequestException(name, "must be a string");
  }

  String choice(String name, String byDefault, List<String> choices) {
    var value = string(name);
    if (value == null) {
      return byDefault;
    }
    if (!choices.contains(value)) {
      throw new InvalidRequestException(name, "must be one of " + String.join(", ", choices));
    }
    return value;
  }

  /** A whole number in {@code [min, max]}, or the default when the argument is absent. */
  long integer(String name, long byDefault, long min, long max) {
    var value = values.get(name);
    if (value == null) {
      return byDefault;
    }
    if (!(value instanceof Number number)
        || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw new InvalidRequestException(name, "must be a whole number");
    }
    long n = number.longValue();
    if (n < min || n > max) {
      throw new InvalidRequestException(name, "must be from " + min + " to " + max);
    }
    return n;
  }

  boolean bool(String name, boolean byDefault) {
    var value = values.get(name);
    if (value == null) {
      return byDefault;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw new InvalidRequestException(name, "must be true or false");
  }

  @Nullable List<String> strings(String name) {
    var value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      throw new InvalidRequestException(name, "must be an array of strings");
    }
    var strings = new ArrayList<String>();
    for (var item : list) {
      if (!(item instanceof String s)) {
        throw new InvalidRequestException(name, "must be an array of strings");
      }
      strings.add(s);
    }
    return strings;
  }

  @Nullable Map<String, String> stringMap(String name) {
    var value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new InvalidRequestException(name, "must be an object of string values");
    }
    var strings = new LinkedHashMap<String, String>();
    for (var entry : map.entrySet()) {
      if (!(entry.getValue() instanceof String s)) {
        throw new InvalidRequestException(name, entry.getKey() + ": the value must be a string");
      }
      strings.put(String.valueOf(entry.getKey()), s);
    }
    return strings;
  }

  /**
   * The {@code command} argument: an array is the program and its arguments, as given; a string is
   * a shell command line, run with {@code sh -c}.
   */
  List<String> command() {
    var value = values.get("command");
    if (value instanceof String line) {
      if (line.isBlank()) {
        throw new InvalidRequestException("command", "is empty");
      }
      return List.of("sh", "-c", line);
    }
    if (value == null) {
      throw new InvalidRequestException("command", "is required");
    }
    var argv = strings("command");
    if (argv == null || argv.isEmpty()) {
      throw new InvalidRequestException("command", "must be a string or a non-empty array");
    }
    return argv;
  }
}
