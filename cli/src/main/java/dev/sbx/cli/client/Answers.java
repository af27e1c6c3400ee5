package dev.sbx.cli.client;

import dev.sbx.cli.output.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the fields of the control plane's answers the records in this package are made of. */
final class Answers {

  private Answers() {}

  /** The objects of the named array of an answer; none when it is missing or not an array. */
  static List<Map<?, ?>> items(String json, String field) {
    return objects(Json.object(json).get(field));
  }

  // Loops, not streams: the first lambda of a run costs a CLI start-up tens of milliseconds.
  static List<Map<?, ?>> objects(Object value) {
    var objects = new ArrayList<Map<?, ?>>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> object) {
          objects.add(object);
        }
      }
    }
    return objects;
  }

  /** The field's items as text, none when it is not an array. */
  static List<String> texts(Map<?, ?> object, String field) {
    var texts = new ArrayList<String>();
    if (object.get(field) instanceof List<?> list) {
      for (Object item : list) {
        texts.add(Json.text(item));
      }
    }
    return texts;
  }

  /** The field as text, "" when it is missing (numbers and booleans as their JSON). */
  static String text(Map<?, ?> object, String field) {
    return Json.text(object.get(field));
  }

  /** The field when it is a string, else null. */
  static String string(Map<?, ?> object, String field) {
    return object.get(field) instanceof String text ? text : null;
  }
}
