package dev.sbx.sidecar;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * The control plane's answer to a frame: an {@code ack} or an {@code error}. Members it does not
 * know are skipped; a member it knows with the wrong type makes the answer unreadable.
 *
 * @param type {@code ack} or {@code error}, or whatever else a newer control plane sends
 * @param execId the exec the answered frame belongs to
 * @param stream for an output frame's ack, its stream
 * @param offset for an output frame's ack, where the acknowledged chunk ends
 * @param seq the exec's seq after the frame
 * @param detail for an error, what was wrong
 */
record Answer(String type, String execId, String stream, Long offset, Long seq, String detail) {

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Reads one answer.
   *
   * @throws IllegalArgumentException when the text is not one JSON object of that shape
   */
  static Answer parse(String text) {
    try (var parser = JSON.createParser(text)) {
      var answer = read(parser);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("trailing characters");
      }
      return answer;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static Answer read(JsonParser parser) {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String type = null;
    String execId = null;
    String stream = null;
    Long offset = null;
    Long seq = null;
    String detail = null;
    for (String name = parser.nextName(); name != null; name = parser.nextName()) {
      parser.nextToken();
      switch (name) {
        case "type" -> type = string(parser, name);
        case "exec_id" -> execId = string(parser, name);
        case "stream" -> stream = string(parser, name);
        case "offset" -> offset = number(parser, name);
        case "seq" -> seq = number(parser, name);
        case "detail" -> detail = string(parser, name);
        default -> parser.skipChildren();
      }
    }
    return new Answer(type, execId, stream, offset, seq, detail);
  }

  private static String string(JsonParser parser, String name) {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getString();
      case VALUE_NULL -> null;
      default -> throw new IllegalArgumentException(name + " is not a string");
    };
  }

  private static Long number(JsonParser parser, String name) {
    return switch (parser.currentToken()) {
      case VALUE_NUMBER_INT -> parser.getLongValue();
      case VALUE_NULL -> null;
      default -> throw new IllegalArgumentException(name + " is not a whole number");
    };
  }
}
