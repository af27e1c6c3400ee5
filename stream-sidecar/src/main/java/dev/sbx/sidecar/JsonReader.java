package dev.sbx.sidecar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the control plane's answers: any JSON value, objects as maps. */
final class JsonReader {

  private final String in;
  private int pos;

  private JsonReader(String in) {
    this.in = in;
  }

  /**
   * Parses a JSON object. Numbers come back as Long when integral, else Double.
   *
   * @throws IllegalArgumentException when the text is not one JSON object
   */
  static Map<String, Object> parseObject(String text) {
    var reader = new JsonReader(text);
    reader.space();
    var object = reader.object();
    reader.space();
    if (reader.pos != text.length()) {
      throw reader.error("trailing characters");
    }
    return object;
  }

  private Object value() {
    space();
    return switch (peek()) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    expect('{');
    var map = new LinkedHashMap<String, Object>();
    space();
    if (peek() == '}') {
      pos++;
      return map;
    }
    do {
      space();
      String name = string();
      space();
      expect(':');
      map.put(name, value());
      space();
    } while (accept(','));
    expect('}');
    return map;
  }

  private List<Object> array() {
    expect('[');
    var list = new ArrayList<>();
    space();
    if (peek() == ']') {
      pos++;
      return list;
    }
    do {
      list.add(value());
      space();
    } while (accept(','));
    expect(']');
    return list;
  }

  private String string() {
    expect('"');
    var out = new StringBuilder();
    for (char c = next(); c != '"'; c = next()) {
      if (c < 0x20) {
        throw error("control character in a string");
      }
      out.append(c == '\\' ? escape() : c);
    }
    return out.toString();
  }

  private char escape() {
    char c = next();
    return switch (c) {
      case '"', '\\', '/' -> c;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> {
        if (pos + 4 > in.length()) {
          throw error("short \\u escape");
        }
        try {
          yield (char) Integer.parseInt(in.substring(pos, pos += 4), 16);
        } catch (NumberFormatException e) {
          throw error("bad \\u escape");
        }
      }
      default -> throw error("bad escape");
    };
  }

  private Number number() {
    int start = pos;
    accept('-');
    boolean integral = true;
    while (pos < in.length() && "0123456789.eE+-".indexOf(in.charAt(pos)) >= 0) {
      integral &= Character.isDigit(in.charAt(pos));
      pos++;
    }
    String token = in.substring(start, pos);
    try {
      // Not a conditional expression: that would promote the Long to a Double.
      if (integral) {
        return Long.parseLong(token);
      }
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw error("bad value");
    }
  }

  private Object literal(String word, Object value) {
    if (!in.startsWith(word, pos)) {
      throw error("bad value");
    }
    pos += word.length();
    return value;
  }

  private void space() {
    while (pos < in.length() && " \t\r\n".indexOf(in.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= in.length()) {
      throw error("unexpected end");
    }
    return in.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private boolean accept(char c) {
    if (pos < in.length() && in.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String problem) {
    return new IllegalArgumentException(problem + " at character " + pos);
  }
}
