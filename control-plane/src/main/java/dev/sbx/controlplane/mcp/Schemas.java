package dev.sbx.controlplane.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schema fragments for tool inputs and outputs, written as the maps the SDK takes. */
final class Schemas {

  private Schemas() {}

  /** An object with these properties; {@code required} names those that must be there. */
  static Map<String, Object> object(Map<String, Object> properties, String... required) {
    var schema = new LinkedHashMap<String, Object>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (required.length > 0) {
      schema.put("required", List.of(required));
    }
    return schema;
  }

  /** An input object: unknown arguments are refused, so a misspelt one is not silently ignored. */
  static Map<String, Object> input(Map<String, Object> properties, String... required) {
    var schema = object(properties, required);
    schema.put("additionalProperties", false);
    return schema;
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  static Map<String, Object> nullableString(String description) {
    return Map.of("type", List.of("string", "null"), "description", description);
  }

  static Map<String, Object> oneOf(String description, String... values) {
    return Map.of("type", "string", "enum", List.of(values), "description", description);
  }

  static Map<String, Object> integer(String description, long minimum) {
    return Map.of("type", "integer", "minimum", minimum, "description", description);
  }

  static Map<String, Object> nullableInteger(String description) {
    return Map.of("type", List.of("integer", "null"), "description", description);
  }

  static Map<String, Object> bool(String description) {
    return Map.of("type", "boolean", "description", description);
  }

  static Map<String, Object> strings(String description) {
    return Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
  }

  static Map<String, Object> stringMap(String description) {
    return Map.of(
        "type",
        "object",
        "additionalProperties",
        Map.of("type", "string"),
        "description",
        description);
  }

  static Map<String, Object> array(Map<String, Object> items, String description) {
    return Map.of("type", "array", "items", items, "description", description);
  }

  /** Properties in the order given, which is the order a model reads them in. */
  static Map<String, Object> properties(Object... nameThenSchema) {
    var properties = new LinkedHashMap<String, Object>();
    for (int i = 0; i < nameThenSchema.length; i += 2) {
      properties.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
    }
    return properties;
  }
}
