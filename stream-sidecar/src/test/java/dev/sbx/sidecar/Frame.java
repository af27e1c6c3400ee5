package dev.sbx.sidecar;

import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads a frame the sidecar sent as a map, whole numbers as Long, for tests to look into. */
final class Frame {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

  private Frame() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(CharSequence text) {
    return JSON.readValue(text.toString(), Map.class);
  }
}
