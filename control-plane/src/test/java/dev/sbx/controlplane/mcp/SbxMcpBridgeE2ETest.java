package dev.sbx.controlplane.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code sbx mcp}, the real CLI in a process of its own, driven over its stdin and stdout by the
 * MCP Java SDK's stdio client: every tool flow of {@link McpToolsContract} goes through the bridge.
 *
 * <p>The CLI runs from the test class path (as {@code ShellInTmuxE2ETest} runs it), with {@code
 * bin/sbx}'s JVM options: the classes of this build, without depending on the shaded jar.
 */
class SbxMcpBridgeE2ETest extends McpToolsContract {

  private final List<String> stderr = new CopyOnWriteArrayList<>();

  @Override
  McpTestClient connect() {
    var transport =
        new StdioClientTransport(
            ServerParameters.builder(java()).args(sbxMcp()).build(),
            new JacksonMcpJsonMapper(JsonMapper.builder().build()));
    transport.setStdErrorHandler(stderr::add);
    return new McpTestClient(transport);
  }

  private List<String> sbxMcp() {
    var args = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    args.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.sbx.cli.Sbx",
            "mcp",
            "-addr",
            "http://127.0.0.1:" + port));
    return args;
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  @Test
  void aLongRunCommandShouldNotHoldUpACallMadeMeanwhile() throws Exception {
    var id = (String) mcp.ok("create_sandbox", Map.of()).get("sandbox_id");
    // It runs until a file appears, which only a later call through the bridge writes: a bridge
    // that held calls behind it would never send that one, and the run would time out.
    var slow =
        CompletableFuture.supplyAsync(
            () ->
                mcp.ok(
                    "run_command",
                    Map.of(
                        "sandbox_id",
                        id,
                        "command",
                        "while [ ! -e go ]; do sleep 0.05; done; echo done",
                        "timeout_seconds",
                        30)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.get("/sandboxes/" + id + "/execs").body().contains("\"running\""));

    var listed = mcp.ok("list_sandboxes", Map.of());
    assertThat(listed.get("sandboxes").toString()).contains(id);
    assertThat(slow).as("run_command, still waiting for its file").isNotDone();
    mcp.ok("write_file", Map.of("sandbox_id", id, "path", "go", "content", ""));

    assertThat(slow.get(30, TimeUnit.SECONDS)).containsEntry("stdout", "done\n");
    assertThat(stderr).as("sbx mcp's stderr").isEmpty();
  }

  @Test
  void sbxMcpShouldExit0AtTheEndOfStdin() throws Exception {
    var command = new ArrayList<String>();
    command.add(java());
    command.addAll(sbxMcp());
    var process = new ProcessBuilder(command).redirectErrorStream(false).start();
    try {
      var stdin = process.getOutputStream();
      stdin.write((McpTokenTest.INITIALIZE + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      var stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      assertThat(stdout.readLine()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{");
      stdin.close();

      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("sbx mcp ended").isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(stdout.readLine()).as("nothing more on stdout").isNull();
    } finally {
      process.destroyForcibly();
    }
  }
}
