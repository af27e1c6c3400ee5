package dev.sbx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stream with the clients people use, side by side in one run, each beside {@code cat} of the
 * same file into a pipe: node's {@code ws} (what wscat is built on) with its default options, which
 * offer permessage-deflate as browsers do; the same client without the offer; binary frames ({@code
 * format=binary}) to that default client; and {@code GET .../output} with curl's defaults. The
 * rounds interleave the clients, so a slower minute of the machine hits them all alike.
 */
final class StreamClients {

  private static final String FILE = "bench-clients.txt";
  private static final String GATE = "bench-clients.go";
  private static final String SCRIPT = "stream-client.mjs";

  /** One client: how it is started against an exec. */
  private record Client(String key, String what) {}

  private static final List<Client> CLIENTS =
      List.of(
          new Client(
              "stream_json_ws_default_mb_per_s",
              "JSON frames, node ws with its default options (offers permessage-deflate)"),
          new Client(
              "stream_json_ws_no_deflate_mb_per_s",
              "JSON frames, node ws with perMessageDeflate: false"),
          new Client("stream_binary_mb_per_s", "format=binary, node ws with its default options"),
          new Client(
              "stream_output_http_mb_per_s",
              "GET .../output (follow), curl with its defaults writing to /dev/null"));

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final Path nodeDir;

  StreamClients(URI base, Scale scale, Results results, Path nodeDir) {
    this.base = base;
    this.scale = scale;
    this.results = results;
    this.nodeDir = nodeDir;
  }

  void run(Api api, Path stateDir) throws Exception {
    if (nodeDir == null || !Files.isDirectory(nodeDir.resolve("node_modules/ws"))) {
      results.note(
          "stream_clients",
          "skipped: node's ws is not installed (dev/bench.sh installs it with npm into"
              + " bench/results/tmp/node)");
      return;
    }
    try (var script = StreamClients.class.getResourceAsStream("/" + SCRIPT)) {
      Files.copy(script, nodeDir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
    }
    var sandbox = api.create();
    try {
      var workspace = stateDir.resolve(sandbox).resolve("fs/workspace");
      api.exec(
          sandbox,
          "bash",
          "-c",
          "head -c " + clientBytes() + " /dev/urandom | base64 > /workspace/" + FILE);
      long size = Files.size(workspace.resolve(FILE));
      var speeds = new LinkedHashMap<String, Samples>();
      CLIENTS.forEach(c -> speeds.put(c.key(), new Samples()));
      var pipe = new Samples();
      var runs = new ArrayList<Object>();
      var failed = new LinkedHashMap<String, String>();
      for (int round = 0; round < rounds(); round++) {
        for (var client : CLIENTS) {
          if (failed.containsKey(client.key())) {
            continue;
          }
          try {
            var run = once(api, sandbox, workspace, size, client);
            speeds.get(client.key()).add((Double) run.get("mb_per_s"));
            runs.add(run);
          } catch (IOException e) {
            // One client failing (an older control plane without /output) leaves the others.
            failed.put(client.key(), e.getMessage());
            results.note(client.key(), "null: " + e.getMessage());
          }
        }
        pipe.add(StreamBenchmark.pipeOnce(workspace.resolve(FILE), size));
      }
      String what = String.format("%.1f MB of base64 text (MB = 10^6 bytes), ", size / 1e6);
      for (var client : CLIENTS) {
        var samples = speeds.get(client.key());
        if (failed.containsKey(client.key())) {
          continue;
        }
        results.figure(
            client.key(),
            Figure.of(
                samples,
                "MB/s",
                what
                    + client.what()
                    + ", connected before the first byte; bytes and exit status checked"));
        results.value(client.key(), samples.median());
        results.value(
            client.key().replace("_mb_per_s", "_pipe_ratio"), samples.median() / pipe.median());
      }
      results.figure(
          "stream_clients_pipe_mb_per_s",
          Figure.of(pipe, "MB/s", "the same file, cat on the host into a pipe read by the driver"));
      results.value("stream_clients_pipe_mb_per_s", pipe.median());
      results.detail("stream_clients_runs", runs);
    } finally {
      api.delete(sandbox);
    }
  }

  private long clientBytes() {
    // 150 MB of random bytes: the 200 MB of base64 the issue measured with wscat's defaults.
    return Math.min(150_000_000L, scale.streamBytes());
  }

  private int rounds() {
    return scale.streamRuns();
  }

  /** One stream to one client; the cat waits for a gate file until the client is connected. */
  private Map<String, Object> once(
      Api api, String sandbox, Path workspace, long size, Client client) throws Exception {
    var gate = workspace.resolve(GATE);
    Files.deleteIfExists(gate);
    var execId =
        api.execAsync(
            sandbox,
            "bash",
            "-c",
            "while [ ! -e /workspace/"
                + GATE
                + " ]; do sleep 0.01; done; exec cat /workspace/"
                + FILE);
    var process = start(client, sandbox, execId);
    try {
      var out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      if (!client.key().equals("stream_output_http_mb_per_s")) {
        var ready = out.readLine();
        if (!"ready".equals(ready)) {
          throw new IOException(
              client.key() + ": the client did not connect: " + ready + err(process));
        }
      } else {
        Thread.sleep(300); // curl has sent its request and waits for the first byte
      }
      long start = System.nanoTime();
      Files.createFile(gate);
      var line = out.readLine();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        throw new IOException(client.key() + ": the client did not finish");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      var run = new LinkedHashMap<String, Object>();
      run.put("client", client.key());
      run.put("seconds", Figure.round(seconds));
      run.put("mb_per_s", Figure.round(size / 1e6 / seconds));
      if (line != null && line.startsWith("{")) {
        var report = Json.parseObject(line);
        run.put("report", report);
        if (((Number) report.get("bytes")).longValue() != size
            || !"completed".equals(report.get("status"))
            || ((Number) report.get("gaps")).longValue() != 0) {
          throw new IOException(client.key() + ": lost or added output: " + run);
        }
      } else if (process.exitValue() != 0 || line == null || Long.parseLong(line.trim()) != size) {
        throw new IOException(client.key() + ": curl got " + line + err(process));
      }
      return run;
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(gate);
    }
  }

  private Process start(Client client, String sandbox, String execId) throws IOException {
    var ws = "ws" + base.toString().substring(base.toString().indexOf(':'));
    var stream = ws + "/sandboxes/" + sandbox + "/stream?exec_id=" + execId;
    var builder =
        switch (client.key()) {
          case "stream_json_ws_default_mb_per_s" -> node(stream);
          case "stream_json_ws_no_deflate_mb_per_s" -> {
            var b = node(stream);
            b.environment().put("NO_DEFLATE", "1");
            yield b;
          }
          case "stream_binary_mb_per_s" -> node(stream + "&format=binary");
          default ->
              new ProcessBuilder(
                  "curl",
                  "-sS",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{size_download}\\n",
                  base + "/sandboxes/" + sandbox + "/execs/" + execId + "/output");
        };
    return builder.start();
  }

  private ProcessBuilder node(String url) {
    return new ProcessBuilder("node", nodeDir.resolve(SCRIPT).toString(), url)
        .directory(nodeDir.toFile());
  }

  private static String err(Process process) throws IOException {
    try (InputStream err = process.getErrorStream()) {
      return " " + new String(err.readNBytes(2000), StandardCharsets.UTF_8).trim();
    }
  }
}
