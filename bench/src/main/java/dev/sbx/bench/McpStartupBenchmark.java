package dev.sbx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sbx_mcp_initialize_p50_ms}: from starting {@code bin/sbx mcp} to its answer to initialize
 * on stdout, which is what an agent waits for when it launches the bridge. {@code bin/sbx version}
 * is timed in the same loop, run for run, so the two share the machine's moods.
 */
final class McpStartupBenchmark {

  private static final int WARMUP = 3;
  private static final byte[] INITIALIZE =
      ("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
              + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
              + "\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}\n")
          .getBytes(StandardCharsets.UTF_8);

  private final URI base;
  private final Scale scale;
  private final Results results;

  McpStartupBenchmark(URI base, Scale scale, Results results) {
    this.base = base;
    this.scale = scale;
    this.results = results;
  }

  void run(Path repoRoot) throws IOException, InterruptedException {
    var sbx = repoRoot.resolve("bin/sbx").toString();
    var initialize = new Samples();
    var version = new Samples();
    for (int i = 0; i < WARMUP + scale.cliRuns(); i++) {
      long mcp = mcpInitialize(sbx);
      long other = versionToExit(sbx);
      if (i >= WARMUP) {
        initialize.addNanosAsMillis(mcp);
        version.addNanosAsMillis(other);
      }
    }
    String how =
        "ProcessBuilder.start from the JVM driver, alternating, " + WARMUP + " warm-up runs";
    results.figure(
        "sbx_mcp_initialize_ms",
        Figure.of(
            initialize,
            "ms",
            "bin/sbx mcp: start to its answer to initialize on stdout (JVM start, POST /mcp), "
                + how));
    results.value("sbx_mcp_initialize_p50_ms", initialize.median());
    results.figure(
        "sbx_version_ms",
        Figure.of(
            version, "ms", "bin/sbx version: start to exit (JVM start, GET /version), " + how));
    results.value("sbx_version_p50_ms", version.median());
  }

  /** Nanoseconds from start to the first line on stdout; then stdin is closed and sbx exits. */
  private long mcpInitialize(String sbx) throws IOException, InterruptedException {
    var builder = new ProcessBuilder(sbx, "mcp", "-addr", base.toString());
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    var process = builder.start();
    long elapsed;
    try (var stdin = process.getOutputStream();
        var stdout =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      stdin.write(INITIALIZE);
      stdin.flush();
      String answer = stdout.readLine();
      elapsed = System.nanoTime() - start;
      if (answer == null || !answer.startsWith("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\"")) {
        process.destroyForcibly();
        throw new IOException("sbx mcp did not answer initialize: " + answer);
      }
    }
    awaitExit(process, "sbx mcp");
    return elapsed;
  }

  private long versionToExit(String sbx) throws IOException, InterruptedException {
    var builder = new ProcessBuilder(List.of(sbx, "version", "-addr", base.toString()));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    var process = builder.start();
    awaitExit(process, "sbx version");
    return System.nanoTime() - start;
  }

  private static void awaitExit(Process process, String what)
      throws IOException, InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(what + " did not exit within 30 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(what + " exited with " + process.exitValue());
    }
  }
}
