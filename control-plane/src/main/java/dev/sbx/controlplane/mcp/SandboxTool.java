package dev.sbx.controlplane.mcp;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One tool: what a model sees of it (name, description, schemas) and what runs when it is called.
 *
 * @param tool the tool as {@code tools/list} shows it
 * @param handler what a call runs
 */
record SandboxTool(McpSchema.Tool tool, Handler handler) {

  /** Runs one call; throws what the REST API would answer with a problem. */
  @FunctionalInterface
  interface Handler {
    Outcome call(Call call) throws Exception;
  }

  /**
   * A call in progress.
   *
   * @param exchange the session it came on, for progress notifications
   * @param progressToken the client's token, when it asked for progress
   * @param arguments its arguments
   */
  record Call(
      McpSyncServerExchange exchange, @Nullable Object progressToken, ToolArguments arguments) {}

  /**
   * What a call gives back.
   *
   * @param structured the result, as the tool's output schema describes it
   * @param error why it failed, when it did but still has a result to show (a timeout)
   */
  record Outcome(Map<String, Object> structured, @Nullable String error) {

    static Outcome ok(Map<String, Object> structured) {
      return new Outcome(structured, null);
    }

    static Outcome failed(String error, Map<String, Object> structured) {
      return new Outcome(structured, error);
    }
  }

  static SandboxTool of(
      String name,
      String title,
      String description,
      Map<String, Object> input,
      Map<String, Object> output,
      McpSchema.ToolAnnotations annotations,
      Handler handler) {
    return new SandboxTool(
        McpSchema.Tool.builder()
            .name(name)
            .title(title)
            .description(description)
            .inputSchema(input)
            .outputSchema(output)
            .annotations(annotations)
            .build(),
        handler);
  }

  static McpSchema.ToolAnnotations readOnly() {
    return McpSchema.ToolAnnotations.builder().readOnlyHint(true).openWorldHint(false).build();
  }

  static McpSchema.ToolAnnotations changes(boolean destructive, boolean idempotent) {
    return McpSchema.ToolAnnotations.builder()
        .readOnlyHint(false)
        .destructiveHint(destructive)
        .idempotentHint(idempotent)
        .openWorldHint(false)
        .build();
  }
}
