/**
 * The MCP server at {@code /mcp}: tools over the sandbox, exec and file services, for agents that
 * take their tools through the Model Context Protocol.
 */
@NullMarked
package dev.sbx.controlplane.mcp;

import org.jspecify.annotations.NullMarked;
