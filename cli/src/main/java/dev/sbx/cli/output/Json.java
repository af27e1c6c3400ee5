package dev.sbx.cli.output;

import java.util.List;
import java.util.Map;

/**
 * Minimal JSON: parses into {@code Map}, {@code List}, {@code String}, {@code Long}, {@code
 * Double}, {@code Boolean} and {@code null}, and writes the same types back.
 */
public final class Json {

  private Json() {}

  /** Parses one JSON document; throws {@link IllegalArgumentException} when it is malformed. */
  public static Object parse(String text) {
    return new JsonReader(text).document();
  }

  /** Parses a document that must be a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String text) {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object, got: " + abbreviate(text));
    }
    return (Map<String, Object>) value;
  }

  /** Renders a parsed value for humans: {@code null} is empty, everything else its JSON text. */
  public static String text(Object value) {
    if (value == null) {
      return "";
    }
    return value instanceof String ? (String) value : write(value);
  }

  public static String write(Object value) {
    var out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null || value instanceof Boolean || value instanceof Long) {
      out.append(value);
    } else if (value instanceof String) {
      quote(out, (String) value);
    } else if (value instanceof Number) {
      number(out, (Number) value);
    } else if (value instanceof Map) {
      out.append('{');
      String separator = "";
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        out.append(separator);
        quote(out, String.valueOf(entry.getKey()));
        out.append(':');
        write(out, entry.getValue());
        separator = ",";
      }
      out.append('}');
    } else if (value instanceof List) {
      out.append('[');
      String separator = "";
      for (Object item : (List<?>) value) {
        out.append(separator);
        write(out, item);
        separator = ",";
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON");
    }
  }

  private static void number(StringBuilder out, Number number) {
    double d = number.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON has no " + number);
    }
    out.append(number);
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16));
            out.append(Character.forDigit(c & 0xF, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
