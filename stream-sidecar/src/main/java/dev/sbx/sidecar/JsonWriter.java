package dev.sbx.sidecar;

/**
 * Writes the flat JSON objects the sidecar sends, one at a time into a buffer that is reused, so
 * frames cost no garbage however much output flows.
 */
final class JsonWriter {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  private final StringBuilder out;

  JsonWriter(int capacity) {
    out = new StringBuilder(capacity);
  }

  JsonWriter begin() {
    out.setLength(0);
    out.append('{');
    return this;
  }

  JsonWriter put(String name, CharSequence value) {
    name(name);
    quote(out, value);
    return this;
  }

  JsonWriter put(String name, long value) {
    name(name).append(value);
    return this;
  }

  /** Puts bytes as a base64 string without copying them first. */
  JsonWriter putBase64(String name, byte[] bytes, int offset, int length) {
    name(name).append('"');
    int end = offset + length;
    int i = offset;
    for (; i + 2 < end; i += 3) {
      int v = (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8 | bytes[i + 2] & 0xff;
      out.append(BASE64[v >>> 18]).append(BASE64[v >>> 12 & 63]);
      out.append(BASE64[v >>> 6 & 63]).append(BASE64[v & 63]);
    }
    if (i < end) {
      int v = (bytes[i] & 0xff) << 16 | (i + 1 < end ? (bytes[i + 1] & 0xff) << 8 : 0);
      out.append(BASE64[v >>> 18]).append(BASE64[v >>> 12 & 63]);
      out.append(i + 1 < end ? BASE64[v >>> 6 & 63] : '=').append('=');
    }
    out.append('"');
    return this;
  }

  CharSequence end() {
    out.append('}');
    return out;
  }

  private StringBuilder name(String name) {
    if (out.length() > 1) {
      out.append(',');
    }
    quote(out, name);
    return out.append(':');
  }

  static void quote(StringBuilder out, CharSequence value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
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
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** How many characters {@link #quote} adds to the value, quotes aside. */
  static int escapeOverhead(CharSequence value) {
    int extra = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
        extra += 1;
      } else if (c < 0x20) {
        extra += 5;
      }
    }
    return extra;
  }
}
