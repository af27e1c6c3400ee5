package dev.sbx.bench;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON for the driver, on jackson-core's streaming parser and generator: parses API answers,
 * hyperfine exports and result fragments into maps, lists, strings, numbers (double), booleans and
 * null; writes them back in the layout of {@code bench/results/latest.json} ({@link JsonLayout}).
 */
final class Json {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private Json() {}

  static Object parse(String text) {
    try (var parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
      var token = parser.nextToken();
      if (token == null) {
        throw new IllegalArgumentException("bad JSON: nothing in " + abbreviate(text));
      }
      var value = value(parser, token);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("bad JSON: trailing characters in " + abbreviate(text));
      }
      return value;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "bad JSON: " + e.getOriginalMessage() + " in " + abbreviate(text), e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String text) {
    if (parse(text) instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
  }

  /** A string as a JSON string literal, quotes and escapes included. */
  static String quote(String value) {
    var out = new StringWriter();
    try (var generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeString(value);
    }
    return out.toString();
  }

  /** The value as indented JSON, with a final newline. */
  static String write(Object value) {
    var out = new StringWriter();
    var layout = new JsonLayout();
    var context =
        new ObjectWriteContext.Base() {
          @Override
          public PrettyPrinter getPrettyPrinter() {
            return layout;
          }

          @Override
          public boolean hasPrettyPrinter() {
            return true;
          }
        };
    try (var generator = FACTORY.createGenerator(context, out)) {
      write(generator, layout, value);
    }
    return out.append('\n').toString();
  }

  private static Object value(JsonParser parser, JsonToken token) {
    return switch (token) {
      case START_OBJECT -> {
        var map = new LinkedHashMap<String, Object>();
        for (var name = parser.nextName(); name != null; name = parser.nextName()) {
          map.put(name, value(parser, parser.nextToken()));
        }
        yield map;
      }
      case START_ARRAY -> {
        var list = new ArrayList<>();
        for (var next = parser.nextToken();
            next != JsonToken.END_ARRAY;
            next = parser.nextToken()) {
          list.add(value(parser, next));
        }
        yield list;
      }
      case VALUE_STRING -> parser.getString();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IllegalArgumentException("bad JSON: unexpected " + token);
    };
  }

  private static void write(JsonGenerator out, JsonLayout layout, Object value) {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof String s) {
      out.writeString(s);
    } else if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        out.writeNull();
      } else {
        out.writeNumber(number(d));
      }
    } else if (value instanceof Number) {
      out.writeNumber(value.toString());
    } else if (value instanceof Boolean b) {
      out.writeBoolean(b);
    } else if (value instanceof Map<?, ?> map) {
      out.writeStartObject();
      for (var entry : map.entrySet()) {
        out.writeName(entry.getKey().toString());
        write(out, layout, entry.getValue());
      }
      out.writeEndObject();
    } else if (value instanceof List<?> list) {
      layout.nextArrayFlat(list.stream().noneMatch(v -> v instanceof Map || v instanceof List));
      out.writeStartArray();
      for (var item : list) {
        write(out, layout, item);
      }
      out.writeEndArray();
    } else {
      out.writeString(value.toString());
    }
  }

  /** Whole numbers without a fraction, as the results have always shown them. */
  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
