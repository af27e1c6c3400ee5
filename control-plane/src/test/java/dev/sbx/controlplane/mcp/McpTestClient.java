package dev.sbx.controlplane.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The MCP Java SDK's own client over its Streamable HTTP transport, as an agent would connect to
 * {@code /mcp} (or over another transport); it checks every structured result against the tool's
 * output schema.
 */
final class McpTestClient implements AutoCloseable {

  private final McpSyncClient client;
  final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

  McpTestClient(int port, @Nullable String token) {
    this(
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
            .endpoint("/mcp")
            .requestBuilder(
                token == null
                    ? HttpRequest.newBuilder()
                    : HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
            .build());
  }

  /** A client over another transport, such as stdio to sbx mcp. */
  McpTestClient(McpClientTransport transport) {
    client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .enableCallToolSchemaCaching(true)
            .progressConsumer(progress::add)
            .build();
  }

  McpSchema.InitializeResult initialize() {
    return client.initialize();
  }

  List<McpSchema.Tool> tools() {
    return client.listTools().tools();
  }

  CallToolResult call(String tool, Map<String, Object> arguments) {
    return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
  }

  CallToolResult callWithProgress(String tool, Map<String, Object> arguments, String token) {
    return client.callTool(
        McpSchema.CallToolRequest.builder()
            .name(tool)
            .arguments(arguments)
            .progressToken(token)
            .build());
  }

  /** The structured result of a call that succeeded. */
  Map<String, Object> ok(String tool, Map<String, Object> arguments) {
    var result = call(tool, arguments);
    assertThat(result.isError()).as("%s: %s", tool, text(result)).isNotEqualTo(Boolean.TRUE);
    return structured(result);
  }

  /** The text of a call that failed as a tool error. */
  String error(String tool, Map<String, Object> arguments) {
    var result = call(tool, arguments);
    assertThat(result.isError()).as("%s: %s", tool, text(result)).isTrue();
    return text(result);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> structured(CallToolResult result) {
    assertThat(result.structuredContent()).isInstanceOf(Map.class);
    return (Map<String, Object>) result.structuredContent();
  }

  static String text(CallToolResult result) {
    return result.content().stream()
        .filter(TextContent.class::isInstance)
        .map(c -> ((TextContent) c).text())
        .reduce("", String::concat);
  }

  @Override
  public void close() {
    client.close();
  }
}
