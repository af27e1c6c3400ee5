package dev.sbx.controlplane.mcp;

/** The MCP server at /mcp over Streamable HTTP, as an agent that speaks HTTP connects to it. */
class McpE2ETest extends McpToolsContract {

  @Override
  McpTestClient connect() {
    return new McpTestClient(port, null);
  }
}
