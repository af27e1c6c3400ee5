package dev.sbx.controlplane.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.ErrorResponseException;

/**
 * Turns a {@link SandboxTool} into the SDK's tool specification. Whatever goes wrong in a call is a
 * tool result with {@code isError} and the problem's detail, as the REST API's problem responses
 * say it, never a protocol error: the model reads it and can act on it.
 */
final class ToolCalls {

  private static final Logger logger = LoggerFactory.getLogger(ToolCalls.class);

  private ToolCalls() {}

  static SyncToolSpecification specification(SandboxTool tool, McpJsonMapper json) {
    return SyncToolSpecification.builder()
        .tool(tool.tool())
        .callHandler(
            (exchange, request) ->
                call(
                    tool,
                    new SandboxTool.Call(
                        exchange, request.progressToken(), new ToolArguments(request.arguments())),
                    json))
        .build();
  }

  static CallToolResult call(SandboxTool tool, SandboxTool.Call call, McpJsonMapper json) {
    SandboxTool.Outcome outcome;
    try {
      outcome = tool.handler().call(call);
    } catch (ErrorResponseException e) {
      return error(detail(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error("the control plane is shutting down; the call was not finished");
    } catch (Exception e) {
      // The exception's message may quote what a sandbox printed: it goes to the caller, and only
      // its type to the log.
      logger.warn("tool {} failed: {}", tool.tool().name(), e.getClass().getName());
      return error("the call failed: " + e.getMessage());
    }
    var text = text(json, outcome);
    var result =
        CallToolResult.builder().addTextContent(text).structuredContent(outcome.structured());
    return result.isError(outcome.error() != null).build();
  }

  private static String text(McpJsonMapper json, SandboxTool.Outcome outcome) {
    String structured;
    try {
      structured = json.writeValueAsString(outcome.structured());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return outcome.error() == null ? structured : outcome.error() + "\n" + structured;
  }

  private static CallToolResult error(String detail) {
    return CallToolResult.builder().addTextContent(detail).isError(true).build();
  }

  /** The problem's detail, as a REST client reads it in the problem response. */
  static String detail(ErrorResponseException e) {
    var body = e.getBody();
    var detail = body.getDetail() != null ? body.getDetail() : body.getTitle();
    return detail != null ? detail : e.getStatusCode().toString();
  }
}
