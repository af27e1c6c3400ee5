package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.ExecIngest;
import dev.sbx.controlplane.metrics.SandboxMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /sandboxes/{id}/ingest}: the stream sidecar's events, one JSON object per text frame, each
 * answered with an {@code ack} or an {@code error} (docs/sidecar.md). A frame that is not a
 * well-formed event of this sandbox is counted and refused, never published.
 */
@Component
class IngestHandler extends TextWebSocketHandler {

  static final int MAX_FRAME = 256 * 1024;
  static final int MAX_CHUNK = 64 * 1024;
  private static final Pattern EXEC_ID = Pattern.compile("[0-9a-f]{16}");

  private final ExecIngest ingest;
  private final SandboxMetrics metrics;
  private final JsonMapper json;

  IngestHandler(ExecIngest ingest, SandboxMetrics metrics, JsonMapper json) {
    this.ingest = ingest;
    this.metrics = metrics;
    this.json = json;
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) {
    // Room for a frame somewhat over the limit, so that it is refused with an answer, not cut.
    session.setTextMessageSizeLimit(4 * MAX_FRAME);
    ingest.connected((String) session.getAttributes().get(IngestHandshake.SANDBOX_ID));
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message)
      throws IOException {
    var sandboxId = (String) session.getAttributes().get(IngestHandshake.SANDBOX_ID);
    String execId = null;
    Map<String, Object> reply;
    try {
      if (message.getPayloadLength() > MAX_FRAME) {
        throw new Refused("frame of " + message.getPayloadLength() + " bytes, over " + MAX_FRAME);
      }
      var event = parse(message.getPayload());
      execId = text(event, "exec_id");
      if (execId == null || !EXEC_ID.matcher(execId).matches()) {
        execId = null;
        throw new Refused("exec_id must be 16 lowercase hex characters");
      }
      reply = ack(execId, handle(sandboxId, execId, event));
    } catch (Refused e) {
      metrics.ingestRejected();
      reply = new LinkedHashMap<>();
      reply.put("type", "error");
      if (execId != null) {
        reply.put("exec_id", execId);
      }
      reply.put("detail", e.getMessage());
    }
    session.sendMessage(new TextMessage(json.writeValueAsString(reply)));
  }

  private ExecIngest.Ack handle(String sandboxId, String execId, JsonNode event) {
    long resumeSeq = whole(event, "resume_seq", false);
    var type = text(event, "type");
    if (type == null) {
      throw new Refused("type is missing");
    }
    return switch (type) {
      case "start" -> ingest.start(sandboxId, execId, resumeSeq);
      case "output" -> output(sandboxId, execId, event, resumeSeq);
      case "exit" -> {
        long code = whole(event, "exit_code", true);
        if (code > Integer.MAX_VALUE) {
          throw new Refused("exit_code out of range");
        }
        yield ingest.exit(sandboxId, execId, (int) code, resumeSeq);
      }
      default -> throw new Refused("unknown type \"" + type + "\"");
    };
  }

  private ExecIngest.Ack output(String sandboxId, String execId, JsonNode event, long resumeSeq) {
    var stream = text(event, "stream");
    if (stream == null || !ExecIngest.STREAMS.contains(stream)) {
      throw new Refused("stream must be stdout or stderr");
    }
    long offset = whole(event, "offset", true);
    var data = text(event, "data");
    if (data == null) {
      throw new Refused("data is missing");
    }
    var encoding = text(event, "encoding");
    int bytes;
    if (encoding == null) {
      bytes = data.getBytes(StandardCharsets.UTF_8).length;
    } else if ("base64".equals(encoding)) {
      try {
        bytes = Base64.getDecoder().decode(data).length;
      } catch (IllegalArgumentException e) {
        throw new Refused("data is not valid base64");
      }
    } else {
      throw new Refused("encoding must be base64 when given");
    }
    if (bytes > MAX_CHUNK) {
      throw new Refused("chunk of " + bytes + " bytes, over " + MAX_CHUNK);
    }
    return ingest.output(
        sandboxId, execId, stream, offset, data, encoding != null, bytes, resumeSeq);
  }

  private JsonNode parse(String payload) {
    try {
      var node = json.readTree(payload);
      if (node == null || !node.isObject()) {
        throw new Refused("an event is one JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new Refused("not JSON: " + e.getOriginalMessage());
    }
  }

  private static @Nullable String text(JsonNode event, String field) {
    var value = event.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new Refused(field + " must be a string");
    }
    return value.asString();
  }

  private static long whole(JsonNode event, String field, boolean required) {
    var value = event.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new Refused(field + " is missing");
      }
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new Refused(field + " must be a whole number from 0");
    }
    return value.asLong();
  }

  private static Map<String, Object> ack(String execId, ExecIngest.Ack ack) {
    var reply = new LinkedHashMap<String, Object>();
    reply.put("type", "ack");
    reply.put("exec_id", execId);
    reply.put("seq", ack.seq());
    if (ack.offset() != null) {
      reply.put("offset", ack.offset());
    }
    return reply;
  }

  /** A frame refused with an answer; the connection stays open. */
  private static final class Refused extends RuntimeException {
    Refused(String detail) {
      super(detail, null, false, false);
    }
  }
}
