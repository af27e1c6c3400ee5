package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.TerminalSession;
import dev.sbx.controlplane.problem.InvalidRequestException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.socket.TextMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control messages of one terminal socket, {@code resize} and {@code signal} as JSON text
 * frames, put together from their parts and applied to the session. Bounded: a control message is a
 * few dozen bytes, so one over {@link #CONTROL_MAX} is dropped, not buffered.
 */
final class TerminalControl {

  static final int CONTROL_MAX = 4096;

  private final JsonMapper json;
  private final StringBuilder text = new StringBuilder();

  TerminalControl(JsonMapper json) {
    this.json = json;
  }

  /**
   * Takes one part of a text message, and applies the message once it is whole.
   *
   * @return why the message was refused, for an error frame; null when it was taken (or is not
   *     whole yet)
   */
  synchronized @Nullable String accept(TerminalSession session, TextMessage part) {
    text.append(part.getPayload());
    if (text.length() > CONTROL_MAX) {
      text.setLength(0);
      return "a control message is at most " + CONTROL_MAX + " bytes";
    }
    if (!part.isLast()) {
      return null;
    }
    var whole = text.toString();
    text.setLength(0);
    try {
      apply(session, json.readTree(whole));
      return null;
    } catch (JacksonException e) {
      return "a control message is JSON: {\"type\":\"resize\",...}";
    } catch (ErrorResponseException e) {
      return String.valueOf(e.getBody().getDetail());
    } catch (IOException e) {
      return null; // the program ended: its exit frame is on its way
    }
  }

  private static void apply(TerminalSession session, JsonNode message) throws IOException {
    var type = message.path("type").asString("");
    switch (type) {
      case "resize" -> {
        var cols = message.path("cols");
        var rows = message.path("rows");
        if (!cols.isIntegralNumber() || !rows.isIntegralNumber()) {
          throw new InvalidRequestException("resize", "cols and rows are whole numbers");
        }
        session.resize(cols.asInt(), rows.asInt());
      }
      case "signal" -> session.signal(message.path("signal").asString(""));
      default -> throw new InvalidRequestException("type", "a control message is resize or signal");
    }
  }
}
