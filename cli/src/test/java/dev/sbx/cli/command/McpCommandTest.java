package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbxWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.Cli;
import dev.sbx.cli.testing.FakeMcpServer;
import dev.sbx.cli.testing.FakeMcpServer.Reply;
import dev.sbx.cli.testing.FakeMcpServer.Request;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class McpCommandTest {

  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";
  private static final String INITIALIZED =
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  private static final String INITIALIZE_RESULT =
      "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"sbx\",\"version\":\"1\"}}}";

  private static String call(Object id, String tool) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool
        + "\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p\"}}}";
  }

  private static String result(Object id, String text) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
        + text
        + "\"}]}}";
  }

  private static Cli.Result mcp(FakeMcpServer server, String... lines) {
    return mcp(server.url(), "secret", lines);
  }

  private static Cli.Result mcp(String addr, String token, String... lines) {
    var stdin = String.join("\n", lines) + "\n";
    return sbxWithStdin(
        Map.of(),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        "mcp",
        "-addr",
        addr,
        "-token",
        token);
  }

  /** Answers like the SDK's server: a session at initialize, 202 for notifications. */
  private static Function<Request, Reply> server(Function<Request, Reply> calls) {
    return request -> {
      if (request.method().equals("DELETE")) {
        return new Reply(200, null, Map.of(), "");
      }
      if (request.body().contains("\"initialize\"")) {
        return Reply.json(INITIALIZE_RESULT).withHeader("Mcp-Session-Id", "session-1");
      }
      if (!request.body().contains("\"id\"")) {
        return Reply.accepted();
      }
      return calls.apply(request);
    };
  }

  @Test
  void mcpShouldWriteProgressFromAnEventStreamBeforeTheResult() throws Exception {
    var progress =
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
            + "\"params\":{\"progressToken\":\"p\",\"progress\":1,\"message\":\"1 s: step1\"}}";
    try (var server = FakeMcpServer.start(server(r -> Reply.events(progress, result(7, "ok"))))) {
      var run = mcp(server, INITIALIZE, INITIALIZED, call(7, "run_command"));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out())
          .isEqualTo(INITIALIZE_RESULT + "\n" + progress + "\n" + result(7, "ok") + "\n");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void mcpShouldSendTheSessionVersionAndTokenOnLaterRequests() throws Exception {
    try (var server = FakeMcpServer.start(server(r -> Reply.json(result(1, "ok"))))) {
      var run = mcp(server, INITIALIZE, INITIALIZED, call(1, "list_sandboxes"));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      var initialize = server.requests().get(0);
      assertThat(initialize.headers())
          .containsEntry("accept", "application/json, text/event-stream")
          .containsEntry("content-type", "application/json")
          .containsEntry("authorization", "Bearer secret")
          .doesNotContainKey("mcp-session-id");
      assertThat(initialize.body()).isEqualTo(INITIALIZE);
      var call = server.requests().get(2);
      assertThat(call.body()).isEqualTo(call(1, "list_sandboxes"));
      assertThat(call.headers())
          .containsEntry("mcp-session-id", "session-1")
          .containsEntry("mcp-protocol-version", "2025-06-18")
          .containsEntry("authorization", "Bearer secret");
    }
  }

  @Test
  void mcpAtTheEndOfStdinShouldDeleteTheSessionAndExit0() throws Exception {
    try (var server = FakeMcpServer.start(server(r -> Reply.json(result(1, "ok"))))) {
      var run = mcp(server, INITIALIZE, INITIALIZED);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      var last = server.requests().get(server.requests().size() - 1);
      assertThat(last.method()).isEqualTo("DELETE");
      assertThat(last.path()).isEqualTo("/mcp");
      assertThat(last.headers()).containsEntry("mcp-session-id", "session-1");
    }
  }

  @Test
  void mcpWhenTheTokenIsRefusedShouldAnswerTheRequestWithAnError() throws Exception {
    var problem =
        "{\"type\":\"urn:sbx:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"a valid bearer token is required\"}";
    try (var server =
        FakeMcpServer.start(r -> new Reply(401, "application/problem+json", Map.of(), problem))) {
      var run = mcp(server, INITIALIZE);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      String message =
          "the control plane refused the request (401): give sbx mcp the control plane's token"
              + " with -token or SBX_TOKEN";
      assertThat(run.out())
          .isEqualTo(
              "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32000,\"message\":\""
                  + message
                  + "\"}}\n");
      assertThat(run.err()).isEqualTo("sbx mcp: initialize: " + message + "\n");
    }
  }

  @Test
  void mcpWhenTheSessionIsGoneShouldSaySoInTheError() throws Exception {
    try (var server = FakeMcpServer.start(server(r -> new Reply(404, null, Map.of(), "")))) {
      var run = mcp(server, INITIALIZE, INITIALIZED, call("\"a\"", "list_sandboxes"));

      assertThat(run.out())
          .endsWith(
              "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32000,\"message\":\"the"
                  + " control plane no longer knows MCP session session-1 (404; it restarted, or"
                  + " closed the session): restart the MCP client\"}}\n");
    }
  }

  @Test
  void mcpWhenTheControlPlaneIsUnreachableShouldAnswerWithAnError() throws Exception {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    var run = mcp("http://127.0.0.1:" + port, "secret", INITIALIZE);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith(
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32000,\"message\":\"cannot reach"
                + " the control plane at http://127.0.0.1:"
                + port
                + "/mcp: ")
        .hasLineCount(1);
    assertThat(run.err()).startsWith("sbx mcp: initialize: cannot reach").hasLineCount(1);
  }

  @Test
  void mcpGivenALineThatIsNoJsonShouldAnswerAParseErrorAndGoOn() throws Exception {
    try (var server = FakeMcpServer.start(server(r -> Reply.json(result(1, "ok"))))) {
      var run = mcp(server, "{not json", call(1, "list_sandboxes"));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().lines())
          .hasSize(2)
          .first()
          .asString()
          .startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,");
      assertThat(run.out().lines()).last().isEqualTo(result(1, "ok"));
      assertThat(run.err()).startsWith("sbx mcp: parse error: ").hasLineCount(1);
    }
  }

  @Test
  void mcpShouldNotHoldAQuickRequestBehindASlowOne() throws Exception {
    var quickAnswered = new CountDownLatch(1);
    try (var server =
        FakeMcpServer.start(
            server(
                r -> {
                  if (r.body().contains("run_command")) {
                    // Answered only once the quick request reached the server: a bridge that held
                    // it behind this one would get "held" here, after 10 s.
                    return Reply.events(result(1, await(quickAnswered) ? "slow" : "held"));
                  }
                  quickAnswered.countDown();
                  return Reply.json(result(2, "quick"));
                }))) {
      var run = mcp(server, INITIALIZE, INITIALIZED, call(1, "run_command"), call(2, "ping"));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      // Which answer the bridge prints first is up to the two answers' threads, not the bridge.
      assertThat(run.out().lines().toList()).first().isEqualTo(INITIALIZE_RESULT);
      assertThat(run.out().lines().skip(1).toList())
          .containsExactlyInAnyOrder(result(2, "quick"), result(1, "slow"));
    }
  }

  @Test
  void mcpGivenALineOver16MiBShouldRefuseItAndGoOn() throws Exception {
    try (var server = FakeMcpServer.start(server(r -> Reply.json(result(1, "ok"))))) {
      var huge = "{\"jsonrpc\":\"2.0\",\"id\":9,\"x\":\"" + "a".repeat(17 << 20) + "\"}";
      var run = mcp(server, huge, call(1, "list_sandboxes"));

      assertThat(run.out().lines())
          .containsExactly(
              "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"a"
                  + " message on stdin was larger than 16 MiB: not sent\"}}",
              result(1, "ok"));
      assertThat(server.requests()).hasSize(1);
    }
  }

  @Test
  void mcpGivenAnAnswerOver16MiBShouldAnswerTheRequestWithAnError() throws Exception {
    var huge = result(1, "a".repeat(17 << 20));
    try (var server = FakeMcpServer.start(server(r -> Reply.events(huge)))) {
      var run = mcp(server, call(1, "read_file"));

      assertThat(run.out())
          .isEqualTo(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"a message"
                  + " from the control plane was larger than 16 MiB: sbx mcp dropped it\"}}\n");
    }
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
