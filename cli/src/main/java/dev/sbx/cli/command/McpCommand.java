package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.mcp.McpBridge;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sbx mcp}: the control plane's MCP server for clients that only launch processes. */
@Command(
    name = "mcp",
    description = {
      "Serve the control plane's MCP tools over stdio, for MCP clients that launch a local process:"
          + " JSON-RPC messages, one per line, on stdin and stdout, forwarded to <addr>/mcp.",
      "Logs go to stderr. Ends at the end of stdin, closing the MCP session."
    })
public final class McpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    new McpBridge(
            globals.baseUrl() + "/mcp", globals.token(), globals.in(), globals.out(), globals.err())
        .run();
    return ExitCodes.OK;
  }
}
