package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A {@code run_command} of {@code true} through {@code /mcp}, beside the same sync exec through
 * REST: one client (the JDK's, HTTP/1.1 keep-alive, for both), alternating call by call so that a
 * slower moment of the machine hits both alike. The MCP calls are the JSON-RPC POSTs an agent's
 * Streamable HTTP transport sends, in one session; the answer is read whole, as the agent must
 * before it can use the result.
 */
final class McpBenchmark {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PROTOCOL = "2025-06-18";
  private static final int WARMUP = 200;

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private String session;
  private int nextId = 1;

  McpBenchmark(URI base, Scale scale, Results results) {
    this.base = base;
    this.scale = scale;
    this.results = results;
  }

  void run(Api api) throws Exception {
    var sandbox = api.create();
    var overMcp = new Samples();
    var overRest = new Samples();
    try {
      initialize();
      var call =
          "\"method\":\"tools/call\",\"params\":{\"name\":\"run_command\",\"arguments\":"
              + "{\"sandbox_id\":\""
              + sandbox
              + "\",\"command\":[\"true\"]}}";
      for (int i = 0; i < WARMUP; i++) {
        mcp(call);
        rest(sandbox);
      }
      for (int i = 0; i < scale.hotRuns(); i++) {
        long start = System.nanoTime();
        mcp(call);
        overMcp.addNanosAsMillis(System.nanoTime() - start);
        start = System.nanoTime();
        rest(sandbox);
        overRest.addNanosAsMillis(System.nanoTime() - start);
      }
    } finally {
      api.delete(sandbox);
    }
    results.figure(
        "mcp_run_command_true_ms",
        Figure.of(
            overMcp,
            "ms",
            "tools/call run_command {\"command\":[\"true\"]} over /mcp (Streamable HTTP, one"
                + " session, keep-alive), answer read whole"));
    results.figure(
        "mcp_rest_exec_true_ms",
        Figure.of(
            overRest,
            "ms",
            "the same sync exec through POST /sandboxes/{id}/exec, same client, alternating"));
    results.value("mcp_run_command_true_p50_ms", overMcp.median());
    results.value("mcp_rest_exec_true_p50_ms", overRest.median());
    results.value("mcp_vs_rest_p50_ratio", overMcp.median() / overRest.median());
  }

  private void initialize() throws IOException, InterruptedException {
    var answer =
        post(
            "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + PROTOCOL
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"sbx-bench\","
                + "\"version\":\"1\"}}");
    session =
        answer
            .headers()
            .firstValue("Mcp-Session-Id")
            .orElseThrow(() -> new IOException("/mcp gave no session id"));
    send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  private void mcp(String call) throws IOException, InterruptedException {
    var body = post(call).body();
    // A failed call is a result with isError, not an HTTP error: check it as the agent would.
    if (!body.contains("\"exit_code\":0") || body.contains("\"isError\":true")) {
      throw new IOException("run_command did not complete: " + body);
    }
  }

  private HttpResponse<String> post(String methodAndParams)
      throws IOException, InterruptedException {
    var answer = send("{\"jsonrpc\":\"2.0\",\"id\":" + nextId++ + "," + methodAndParams + "}");
    if (answer.statusCode() != 200) {
      throw new IOException("/mcp answered " + answer.statusCode() + ": " + answer.body());
    }
    return answer;
  }

  private HttpResponse<String> send(String message) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(base.resolve("/mcp"))
            .timeout(WAIT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", PROTOCOL);
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return http.send(
        request.POST(HttpRequest.BodyPublishers.ofString(message)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void rest(String sandbox) throws IOException, InterruptedException {
    var answer =
        http.send(
            HttpRequest.newBuilder(base.resolve("/sandboxes/" + sandbox + "/exec"))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ExecBenchmarks.TRUE))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200 || !answer.body().contains("\"exit_code\":0")) {
      throw new IOException("the exec did not complete: " + answer.body());
    }
  }
}
