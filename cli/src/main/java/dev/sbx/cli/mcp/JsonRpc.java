package dev.sbx.cli.mcp;

import dev.sbx.cli.output.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bridge needs to know of a JSON-RPC message, and the errors it answers with itself. The
 * message's text is forwarded as it came; it is parsed only to learn these few things.
 */
final class JsonRpc {

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;

  /** The range JSON-RPC leaves to implementations, for "the control plane did not answer". */
  static final int SERVER_ERROR = -32000;

  /**
   * One message from the client or the server.
   *
   * @param text the message as it came, on one line
   * @param method its method, or null for a response (or a batch)
   * @param requestIds the ids of the requests in it, each of which waits for an answer: none for a
   *     notification or a response, several for a batch
   * @param responseIds the ids of the responses in it
   */
  record Message(String text, String method, List<Object> requestIds, List<Object> responseIds) {

    boolean isInitialize() {
      return "initialize".equals(method);
    }
  }

  private JsonRpc() {}

  /**
   * Reads a message; JSON whitespace that was a line break becomes a space, so that the message
   * fits on one line of the stdio transport.
   *
   * @throws IllegalArgumentException when it is not JSON, or no JSON-RPC message
   */
  static Message parse(String text) {
    String line = oneLine(text);
    Object parsed = Json.parse(line);
    var requests = new ArrayList<>();
    var responses = new ArrayList<>();
    String method = null;
    if (parsed instanceof List<?> batch) {
      for (Object item : batch) {
        classify(item, requests, responses);
      }
    } else {
      method = classify(parsed, requests, responses);
    }
    return new Message(line, method, requests, responses);
  }

  private static String classify(Object item, List<Object> requests, List<Object> responses) {
    if (!(item instanceof Map<?, ?> message)) {
      throw new IllegalArgumentException("a JSON-RPC message is an object");
    }
    Object method = message.get("method");
    if (method != null && !(method instanceof String)) {
      throw new IllegalArgumentException("method is not a string");
    }
    if (message.containsKey("id")) {
      (method != null ? requests : responses).add(message.get("id"));
    } else if (method == null) {
      throw new IllegalArgumentException("neither a request, a notification nor a response");
    }
    return (String) method;
  }

  /** The {@code protocolVersion} of an initialize result, or null. */
  static String protocolVersion(String response) {
    try {
      if (Json.parse(response) instanceof Map<?, ?> message
          && message.get("result") instanceof Map<?, ?> result
          && result.get("protocolVersion") instanceof String version) {
        return version;
      }
    } catch (IllegalArgumentException e) {
      // Not ours to judge: the client reads the same answer and says what is wrong with it.
    }
    return null;
  }

  /** An error response to request {@code id} (null when the request's id is unknown). */
  static String error(Object id, int code, String message) {
    var error = new LinkedHashMap<String, Object>();
    error.put("code", (long) code);
    error.put("message", message);
    var response = new LinkedHashMap<String, Object>();
    response.put("jsonrpc", "2.0");
    response.put("id", id);
    response.put("error", error);
    return Json.write(response);
  }

  private static String oneLine(String text) {
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    // Inside a JSON string a line break must be escaped, so a raw one is always whitespace.
    return text.replace('\r', ' ').replace('\n', ' ');
  }
}
