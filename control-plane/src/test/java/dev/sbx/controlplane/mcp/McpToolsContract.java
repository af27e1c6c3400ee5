package dev.sbx.controlplane.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an agent sees of the MCP tools, driven by the MCP Java SDK's client on the real local
 * runtime; each subclass connects the client its own way (over HTTP, or through sbx mcp).
 */
abstract class McpToolsContract extends LocalControlPlaneTest {

  McpTestClient mcp;

  /** A client that has not called initialize yet. */
  abstract McpTestClient connect();

  @BeforeEach
  void initialize() {
    mcp = connect();
    mcp.initialize();
  }

  @AfterEach
  void close() {
    mcp.close();
  }

  private String createSandbox() {
    var created = mcp.ok("create_sandbox", Map.of());
    assertThat(created.get("ready")).isEqualTo(true);
    return (String) created.get("sandbox_id");
  }

  @Test
  void initializeShouldListEveryToolWithItsSchemas() {
    var tools = mcp.tools();
    assertThat(tools)
        .extracting(t -> t.name())
        .containsExactlyInAnyOrder(
            "create_sandbox",
            "list_sandboxes",
            "delete_sandbox",
            "run_command",
            "start_command",
            "read_output",
            "cancel_command",
            "write_file",
            "read_file",
            "list_files");
    assertThat(tools)
        .allSatisfy(
            tool -> {
              assertThat(tool.description()).hasSizeGreaterThan(80);
              assertThat(tool.inputSchema()).containsEntry("type", "object");
              assertThat(tool.outputSchema()).containsEntry("type", "object");
            });
  }

  @Test
  void runCommandShouldReturnStdoutStderrAndTheExitCode() {
    var id = createSandbox();
    var result =
        mcp.ok(
            "run_command", Map.of("sandbox_id", id, "command", "echo out; echo err >&2; exit 3"));
    assertThat(result)
        .containsEntry("status", "completed")
        .containsEntry("exit_code", 3)
        .containsEntry("stdout", "out\n")
        .containsEntry("stderr", "err\n")
        .containsEntry("truncated", false);
    assertThat((String) result.get("exec_id")).isNotEmpty();
  }

  @Test
  void runCommandShouldTakeArgvCwdEnvAndStdin() {
    var id = createSandbox();
    var result =
        mcp.ok(
            "run_command",
            Map.of(
                "sandbox_id",
                id,
                "command",
                List.of("sh", "-c", "pwd; echo \"$GREETING\"; cat"),
                "cwd",
                "/tmp",
                "env",
                Map.of("GREETING", "hello world"),
                "stdin",
                "from stdin"));
    assertThat(result).containsEntry("stdout", "/tmp\nhello world\nfrom stdin");
  }

  @Test
  void runCommandOverItsTimeoutShouldBeAnErrorWithTheOutputSoFar() {
    var id = createSandbox();
    var result =
        mcp.call(
            "run_command",
            Map.of("sandbox_id", id, "command", "echo before; sleep 30", "timeout_seconds", 1));
    assertThat(result.isError()).isTrue();
    assertThat(McpTestClient.text(result)).startsWith("timeout:");
    assertThat(McpTestClient.structured(result))
        .containsEntry("status", "timed_out")
        .containsEntry("stdout", "before\n");
  }

  @Test
  void startReadOutputAndCancelShouldFollowALongCommand() {
    var id = createSandbox();
    var started =
        mcp.ok(
            "start_command",
            Map.of("sandbox_id", id, "command", "while true; do echo tick; sleep 0.2; done"));
    assertThat(started).containsEntry("status", "running");
    var execId = (String) started.get("exec_id");
    var first =
        mcp.ok("read_output", Map.of("sandbox_id", id, "exec_id", execId, "wait_seconds", 10));
    assertThat((String) first.get("data")).startsWith("tick\n");
    assertThat(first).containsEntry("ended", false).containsEntry("encoding", "utf-8");

    var canceled = mcp.ok("cancel_command", Map.of("sandbox_id", id, "exec_id", execId));
    assertThat(canceled).containsEntry("status", "canceled");

    long offset = ((Number) first.get("next_offset")).longValue();
    var rest = mcp.ok("read_output", Map.of("sandbox_id", id, "exec_id", execId, "offset", offset));
    assertThat(rest).containsEntry("ended", true).containsEntry("status", "canceled");
    assertThat(((Number) rest.get("next_offset")).longValue())
        .isEqualTo(((Number) rest.get("total_bytes")).longValue());
    assertThat(mcp.error("cancel_command", Map.of("sandbox_id", id, "exec_id", execId)))
        .contains("canceled");
  }

  @Test
  void outputOverTheBudgetShouldBeCutInTheMiddleAndReadableWithReadOutput() {
    var id = createSandbox();
    var command = "printf START; head -c 300000 /dev/zero | tr '\\0' a; printf END";
    var result =
        mcp.ok(
            "run_command", Map.of("sandbox_id", id, "command", command, "max_output_bytes", 2000));
    var stdout = (String) result.get("stdout");
    assertThat(result).containsEntry("truncated", true).containsEntry("stdout_bytes", 300008);
    assertThat(stdout).startsWith("START").endsWith("aEND").hasSizeLessThan(2200);
    assertThat(stdout).contains("bytes of stdout left out here").contains("offset 1000");

    var all = new StringBuilder();
    long offset = 0;
    while (true) {
      var chunk =
          mcp.ok(
              "read_output",
              Map.of("sandbox_id", id, "exec_id", result.get("exec_id"), "offset", offset));
      all.append((String) chunk.get("data"));
      offset = ((Number) chunk.get("next_offset")).longValue();
      if ((Boolean) chunk.get("ended")) {
        break;
      }
    }
    assertThat(all.toString()).isEqualTo("START" + "a".repeat(300000) + "END");
  }

  @Test
  void longRunCommandShouldSendProgressWithTheLastLine() {
    var id = createSandbox();
    var result =
        mcp.callWithProgress(
            "run_command",
            Map.of("sandbox_id", id, "command", "for i in 1 2 3; do echo step$i; sleep 1; done"),
            "progress-1");
    assertThat(result.isError()).isFalse();
    assertThat(mcp.progress).isNotEmpty();
    assertThat(mcp.progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("progress-1"));
    assertThat(mcp.progress).anySatisfy(p -> assertThat(p.message()).contains(": step"));
  }

  @Test
  void filesShouldBeWrittenReadAndListed() {
    var id = createSandbox();
    var written =
        mcp.ok(
            "write_file",
            Map.of("sandbox_id", id, "path", "notes/hello.txt", "content", "héllo, world\n"));
    assertThat(written)
        .containsEntry("path", "/workspace/notes/hello.txt")
        .containsEntry("size", 14)
        .containsEntry("created", true);
    var part =
        mcp.ok(
            "read_file",
            Map.of("sandbox_id", id, "path", "notes/hello.txt", "offset", 8, "length", 5));
    assertThat(part)
        .containsEntry("content", "world")
        .containsEntry("next_offset", 13)
        .containsEntry("eof", false);

    var bytes = new byte[] {0, 1, (byte) 0xff, (byte) 0xfe};
    var binary = Base64.getEncoder().encodeToString(bytes);
    mcp.ok(
        "write_file",
        Map.of(
            "sandbox_id",
            id,
            "path",
            "/workspace/notes/b.bin",
            "content",
            binary,
            "encoding",
            "base64"));
    var read = mcp.ok("read_file", Map.of("sandbox_id", id, "path", "notes/b.bin"));
    assertThat(read)
        .containsEntry("encoding", "base64")
        .containsEntry("content", binary)
        .containsEntry("eof", true);

    var listed = mcp.ok("list_files", Map.of("sandbox_id", id, "path", "notes"));
    @SuppressWarnings("unchecked")
    var entries = (List<Map<String, Object>>) listed.get("entries");
    assertThat(entries)
        .extracting(e -> e.get("name") + ":" + e.get("type") + ":" + e.get("size"))
        .containsExactlyInAnyOrder("hello.txt:file:14", "b.bin:file:4");
  }

  @Test
  void deleteShouldRemoveTheSandbox() {
    var id = createSandbox();
    @SuppressWarnings("unchecked")
    var before = (List<Map<String, Object>>) mcp.ok("list_sandboxes", Map.of()).get("sandboxes");
    assertThat(before).extracting(s -> s.get("sandbox_id")).contains(id);
    assertThat(mcp.ok("delete_sandbox", Map.of("sandbox_id", id)))
        .containsEntry("status", "deleted");
    @SuppressWarnings("unchecked")
    var after = (List<Map<String, Object>>) mcp.ok("list_sandboxes", Map.of()).get("sandboxes");
    assertThat(after).extracting(s -> s.get("sandbox_id")).doesNotContain(id);
  }

  @Test
  void anUnknownSandboxShouldBeAToolError() {
    assertThat(mcp.error("run_command", Map.of("sandbox_id", "nope", "command", "true")))
        .isEqualTo("sandbox sbx-nope does not exist");
    assertThat(mcp.error("read_file", Map.of("sandbox_id", "nope", "path", "x")))
        .isEqualTo("sandbox sbx-nope does not exist");
    assertThat(mcp.error("delete_sandbox", Map.of("sandbox_id", "nope")))
        .isEqualTo("sandbox sbx-nope does not exist");
  }

  @Test
  void badArgumentsShouldBeToolErrorsNamingTheArgument() {
    var id = createSandbox();
    assertThat(mcp.error("run_command", Map.of("sandbox_id", id))).contains("command");
    assertThat(
            mcp.error(
                "run_command",
                Map.of("sandbox_id", id, "command", "true", "timeout_seconds", "soon")))
        .contains("timeout_seconds");
    assertThat(mcp.error("run_command", Map.of("sandbox_id", id, "command", "true", "cwd", "tmp")))
        .contains("cwd");
    assertThat(mcp.error("read_file", Map.of("sandbox_id", id, "path", "missing.txt")))
        .contains("missing.txt");
  }
}
