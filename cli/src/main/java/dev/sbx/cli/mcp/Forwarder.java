package dev.sbx.cli.mcp;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;

/**
 * Sends one message of the client to {@code /mcp} and writes every message that comes back to
 * stdout. Each request it sent gets an answer on stdout, whatever happens: the server's, or an
 * error saying why there is none, so that a client never waits for an answer that cannot come.
 */
final class Forwarder {

  private final McpEndpoint endpoint;
  private final Session session;
  private final Output output;
  private final int maxMessageBytes;

  Forwarder(McpEndpoint endpoint, Session session, Output output, int maxMessageBytes) {
    this.endpoint = endpoint;
    this.session = session;
    this.output = output;
    this.maxMessageBytes = maxMessageBytes;
  }

  void forward(JsonRpc.Message message, int readTimeoutMillis) {
    var unanswered = new LinkedHashSet<>(message.requestIds());
    McpEndpoint.Answer answer = null;
    try {
      answer = endpoint.post(message.text(), session, readTimeoutMillis);
      if (answer.status() >= 300) {
        fail(message, unanswered, HttpFailure.of(answer, session, endpoint.url()));
        answer.close();
        return;
      }
      if (message.isInitialize()) {
        session.started(answer.sessionId());
      }
      relayAll(answer, message, unanswered);
      answer.close();
    } catch (IOException e) {
      if (answer != null) {
        answer.abort();
      }
      String reason =
          e instanceof MessageTooLargeException
              ? e.getMessage() + ": sbx mcp dropped it"
              : answer == null
                  ? HttpFailure.of(e, endpoint.url())
                  : "the answer of the control plane broke off: " + e.getMessage();
      fail(message, unanswered, reason);
      return;
    }
    if (!unanswered.isEmpty()) {
      fail(message, unanswered, "the control plane ended its answer without a result");
    }
  }

  private void relayAll(
      McpEndpoint.Answer answer, JsonRpc.Message message, Collection<Object> unanswered)
      throws IOException {
    if (answer.isEventStream()) {
      var events = new SseReader(answer.body(), maxMessageBytes);
      for (String data; (data = events.next()) != null; ) {
        relay(data, message, unanswered);
      }
    } else if (answer.status() != 202) {
      String body = answer.text(maxMessageBytes);
      if (!body.isBlank()) {
        relay(body, message, unanswered);
      }
    }
  }

  private void relay(String text, JsonRpc.Message sent, Collection<Object> unanswered) {
    JsonRpc.Message reply;
    try {
      reply = JsonRpc.parse(text);
    } catch (IllegalArgumentException e) {
      // Passed on, it would break the client's stream of messages, which is worse than a gap.
      output.log("dropped a message from the control plane that is no JSON-RPC: " + e.getMessage());
      return;
    }
    if (sent.isInitialize() && !reply.responseIds().isEmpty()) {
      session.agreed(JsonRpc.protocolVersion(reply.text()));
    }
    unanswered.removeAll(reply.responseIds());
    output.message(reply.text());
  }

  private void fail(JsonRpc.Message message, Collection<Object> unanswered, String reason) {
    String what = message.method() != null ? message.method() : "a response";
    output.log(what + ": " + reason);
    for (Object id : unanswered) {
      output.message(JsonRpc.error(id, JsonRpc.SERVER_ERROR, reason));
    }
    unanswered.clear();
  }
}
