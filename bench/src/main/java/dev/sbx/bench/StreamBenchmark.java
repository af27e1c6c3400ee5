package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stream_mb_per_s}: about 1 GB of text (base64 of random bytes, made once in the sandbox)
 * printed by an async {@code cat} and received by one WebSocket subscriber, against the same bytes
 * through a plain pipe ({@code raw_pipe_mb_per_s}), with the control plane's heap sampled all
 * along.
 */
final class StreamBenchmark {

  static final String FILE = "bench-stream.txt";
  private static final String GATE = "bench-stream.go";
  private static final int FLAT_OLD_GROWTH_MB = 64;

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final Jvm controlPlane;

  StreamBenchmark(URI base, Scale scale, Results results, Jvm controlPlane) {
    this.base = base;
    this.scale = scale;
    this.results = results;
    this.controlPlane = controlPlane;
  }

  /** Makes the file in the sandbox's /workspace; returns its size in bytes. */
  long prepare(Api api, String sandboxId, Path workspace) throws IOException {
    api.exec(
        sandboxId,
        "bash",
        "-c",
        "head -c " + scale.streamBytes() + " /dev/urandom | base64 > /workspace/" + FILE);
    return Files.size(workspace.resolve(FILE));
  }

  /** Streams the prepared file {@code streamRuns} times, then reads it through a plain pipe. */
  void measure(Api api, String sandboxId, Path workspace, long size) throws Exception {
    var speeds = new Samples();
    var runs = new ArrayList<Object>();
    double cpuBefore = controlPlane.cpuMillis();
    long driverBefore = ProcStat.cpuTicks(ProcessHandle.current().pid());
    var threads = ThreadCpu.start(controlPlane.pid());
    for (int i = 0; i < scale.streamRuns(); i++) {
      var run = streamOnce(api, sandboxId, workspace, size);
      speeds.add((Double) run.get("mb_per_s"));
      runs.add(run);
    }
    double cpuSeconds = (controlPlane.cpuMillis() - cpuBefore) / 1000;
    results.detail("stream_thread_cpu", threads.finish(8));
    double driverSeconds =
        (ProcStat.cpuTicks(ProcessHandle.current().pid()) - driverBefore) / 100.0;
    var pipe = new Samples();
    for (int i = 0; i < scale.streamRuns(); i++) {
      pipe.add(pipeOnce(workspace.resolve(FILE), size));
    }
    String what = String.format("%.1f MB of base64 text (MB = 10^6 bytes)", size / 1e6);
    results.figure(
        "stream_mb_per_s",
        Figure.of(
            speeds,
            "MB/s",
            what
                + ", async cat in the sandbox, one WebSocket subscriber (?exec_id=&from_seq=1)"
                + " counting decoded data bytes; byte count, seq holes and exit checked"));
    results.figure(
        "raw_pipe_mb_per_s",
        Figure.of(pipe, "MB/s", "the same file, cat on the host into a pipe read by the driver"));
    results.value("stream_mb_per_s", speeds.median());
    results.value("raw_pipe_mb_per_s", pipe.median());
    results.detail("stream_runs", runs);
    heapVerdict(runs);
    results.detail(
        "stream_control_plane_cpu_seconds_per_gb",
        Figure.round(cpuSeconds / (scale.streamRuns() * size / 1e9)));
    results.detail(
        "stream_driver_cpu_seconds_per_gb",
        Figure.round(driverSeconds / (scale.streamRuns() * size / 1e9)));
  }

  /**
   * Flat means the old generation (what outlives young collections) grew by at most {@value
   * #FLAT_OLD_GROWTH_MB} MB during every stream: output passes through instead of piling up.
   */
  private void heapVerdict(List<Object> runs) {
    double worst = 0;
    for (var run : runs) {
      var heap = (Map<?, ?>) ((Map<?, ?>) run).get("heap");
      if (heap.get("old_gen_max_mb") instanceof Double max
          && heap.get("old_gen_start_mb") instanceof Double start) {
        worst = Math.max(worst, max - start);
      }
    }
    boolean flat = worst <= FLAT_OLD_GROWTH_MB;
    results.flag("stream_heap_flat", flat);
    results.detail(
        "stream_heap_verdict",
        String.format(
            "Heap %s: the old generation grew by at most %.0f MB during a stream (flat means <= %d"
                + " MB).",
            flat ? "flat" : "NOT flat", worst, FLAT_OLD_GROWTH_MB));
  }

  /** One stream; the cat waits for a gate file so the subscriber is there from the first byte. */
  Map<String, Object> streamOnce(Api api, String sandboxId, Path workspace, long size)
      throws Exception {
    var gate = workspace.resolve(GATE);
    Files.deleteIfExists(gate);
    var execId =
        api.execAsync(
            sandboxId,
            "bash",
            "-c",
            "while [ ! -e /workspace/"
                + GATE
                + " ]; do sleep 0.01; done; exec cat /workspace/"
                + FILE);
    var tally = new StreamTally();
    var path = "/sandboxes/" + sandboxId + "/stream?exec_id=" + execId + "&from_seq=1";
    long[] exitAt = new long[1];
    int[] closeCode = {-2};
    try (var connection = StreamSubscription.open(base, path);
        var sampler = HeapSampler.start(controlPlane.pid(), 250)) {
      var reader =
          new Thread(
              () -> {
                try {
                  closeCode[0] = connection.readAll(tally);
                } catch (IOException e) {
                  closeCode[0] = -3;
                }
                exitAt[0] = System.nanoTime();
              },
              "stream-reader");
      reader.start();
      while (tally.events() == 0 && reader.isAlive()) {
        Thread.sleep(1);
      }
      Thread.sleep(300); // a few heap samples before the stream
      long start = System.nanoTime();
      Files.createFile(gate);
      reader.join(600_000);
      double seconds = (exitAt[0] - start) / 1e9;
      var run = new LinkedHashMap<String, Object>();
      run.put("bytes_expected", size);
      run.put("bytes_received", tally.outputBytes());
      run.put("events", tally.events());
      run.put("seq_holes", tally.holes());
      run.put("gaps", tally.gaps());
      run.put("exit_status", tally.status());
      run.put("close_code", closeCode[0]);
      run.put("seconds", Figure.round(seconds));
      run.put("mb_per_s", Figure.round(size / 1e6 / seconds));
      run.put("heap", HeapSampler.summary(sampler.samples()));
      run.put("heap_used_mb_samples", usedSeries(sampler.samples()));
      if (tally.outputBytes() != size || tally.holes() != 0 || tally.gaps() != 0) {
        throw new IOException("the stream lost or added output: " + run);
      }
      if (!"completed".equals(tally.status()) || tally.exitCode() != 0) {
        throw new IOException("the streamed cat did not complete: " + run);
      }
      return run;
    } finally {
      Files.deleteIfExists(gate);
    }
  }

  /** The same bytes through a plain pipe: cat on the host, read here. */
  static double pipeOnce(Path file, long size) throws IOException, InterruptedException {
    var buffer = new byte[64 * 1024];
    long start = System.nanoTime();
    var cat = new ProcessBuilder("cat", file.toString()).start();
    long total = 0;
    try (var in = cat.getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
      }
    }
    cat.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (total != size) {
      throw new IOException("the pipe gave " + total + " bytes of " + size);
    }
    return size / 1e6 / seconds;
  }

  private static List<Double> usedSeries(List<HeapSampler.Sample> samples) {
    return samples.stream().map(s -> Figure.round(s.used())).toList();
  }
}
