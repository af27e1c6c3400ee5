package dev.sbx.cli.mcp;

import dev.sbx.cli.output.Json;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;

/** Says in one sentence why an HTTP exchange with {@code /mcp} gave no MCP answer. */
final class HttpFailure {

  // A problem's detail is a sentence; a proxy's HTML error page is no use past its start.
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final int MAX_DETAIL_CHARS = 300;

  private HttpFailure() {}

  static String of(McpEndpoint.Answer answer, Session session, String url) {
    int status = answer.status();
    String detail = detail(answer);
    return switch (status) {
      case 401, 403 ->
          "the control plane refused the request ("
              + status
              + detail
              + "): give sbx mcp the control plane's token with -token or SBX_TOKEN";
      case 404 ->
          session.id() != null
              ? "the control plane no longer knows MCP session "
                  + session.id()
                  + " (404"
                  + detail
                  + "; it restarted, or closed the session): restart the MCP client"
              : "no MCP server at " + url + " (404" + detail + "; is SANDBOX_MCP_ENABLED false?)";
      default -> "the control plane answered HTTP " + status + detail;
    };
  }

  static String of(IOException failure, String url) {
    String reason = failure.getMessage();
    if (reason == null || reason.isEmpty()) {
      reason = failure.getClass().getSimpleName();
    }
    if (failure instanceof UnknownHostException) {
      reason = "unknown host " + reason;
    } else if (failure instanceof SocketTimeoutException) {
      reason = "no answer in time (" + reason + ")";
    }
    return "cannot reach the control plane at " + url + ": " + reason;
  }

  /** ": " and the problem's detail or the JSON-RPC error's message, when the body has one. */
  private static String detail(McpEndpoint.Answer answer) {
    String text;
    try {
      text = answer.text(MAX_BODY_BYTES);
    } catch (IOException e) {
      return "";
    }
    String detail = null;
    try {
      if (Json.parse(text) instanceof Map<?, ?> body) {
        if (body.get("detail") instanceof String problem) {
          detail = problem;
        } else if (body.get("error") instanceof Map<?, ?> error
            && error.get("message") instanceof String message) {
          detail = message;
        }
      }
    } catch (IllegalArgumentException notJson) {
      return "";
    }
    if (detail == null || detail.isBlank()) {
      return "";
    }
    return ": "
        + (detail.length() > MAX_DETAIL_CHARS
            ? detail.substring(0, MAX_DETAIL_CHARS) + "..."
            : detail);
  }
}
