package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Sync exec latency and throughput, and create to first exec, through the HTTP API. */
final class ExecBenchmarks {

  static final String TRUE = Api.body(new String[] {"true"}, false);
  private static final int LOCAL_WARMUP = 200;

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final Jvm controlPlane;

  ExecBenchmarks(URI base, Scale scale, Results results, Jvm controlPlane) {
    this.base = base;
    this.scale = scale;
    this.results = results;
    this.controlPlane = controlPlane;
  }

  /** {@code hot_exec_*}: one client, keep-alive, one sync {@code true} after another. */
  Samples hotExec(String sandboxId) throws IOException {
    try (var api = new Api(base)) {
      // The JVM warms up on a sandbox of its own: every exec a sandbox keeps makes its next exec
      // slower (see retainedExecs), and this figure is about a ready sandbox, not a busy one.
      var warmSandbox = api.create();
      int warmup;
      try {
        warmup = warmUp(api, warmSandbox);
      } finally {
        api.delete(warmSandbox);
      }
      for (int i = 0; i < LOCAL_WARMUP; i++) {
        api.execQuick(sandboxId, TRUE);
      }
      var samples = new Samples();
      var first = new Samples();
      var last = new Samples();
      int tenth = scale.hotRuns() / 10;
      double cpuBefore = controlPlane.cpuMillis();
      var threads = ThreadCpu.start(controlPlane.pid());
      for (int i = 0; i < scale.hotRuns(); i++) {
        long start = System.nanoTime();
        api.execQuick(sandboxId, TRUE);
        long nanos = System.nanoTime() - start;
        samples.addNanosAsMillis(nanos);
        if (i < tenth) {
          first.addNanosAsMillis(nanos);
        } else if (i >= scale.hotRuns() - tenth) {
          last.addNanosAsMillis(nanos);
        }
      }
      results.detail("hot_exec_thread_cpu", threads.finish(8));
      results.detail(
          "hot_exec_control_plane_cpu_ms_per_exec",
          Figure.round((controlPlane.cpuMillis() - cpuBefore) / scale.hotRuns()));
      results.detail(
          "hot_exec_p50_first_and_last_tenth_ms",
          List.of(Figure.round(first.median()), Figure.round(last.median())));
      results.figure(
          "hot_exec_ms",
          Figure.of(
              samples,
              "ms",
              "sync POST /sandboxes/{id}/exec {\"command\":[\"true\"]} on a ready sandbox, one"
                  + " client, keep-alive, after "
                  + warmup
                  + " warm-up execs on another sandbox (until the JIT compilers used under 10% of"
                  + " the CPU, or "
                  + scale.warmupSeconds()
                  + " s) and "
                  + LOCAL_WARMUP
                  + " on this one; "
                  + api.reconnects()
                  + " reconnects (Tomcat closes a connection after 100 requests)"));
      results.value("hot_exec_p50_ms", samples.median());
      results.value("hot_exec_p99_ms", samples.percentile(99));
      return samples;
    }
  }

  /**
   * Sync execs in batches of {@code hotWarmup / 4} until the control plane's JIT compiler threads
   * take under 10% of its CPU over a batch (at least {@code hotWarmup} execs, then for at most
   * {@code warmupSeconds}): on 2 busy cores C2 is still compiling Spring MVC's request path after
   * thousands of requests.
   */
  private int warmUp(Api api, String sandboxId) throws IOException {
    int batch = Math.max(10, scale.hotWarmup() / 4);
    long deadline = System.nanoTime() + scale.warmupSeconds() * 1_000_000_000L;
    int done = 0;
    double compilerShare = 1;
    while (done < scale.hotWarmup() || (compilerShare >= 0.10 && System.nanoTime() < deadline)) {
      var threads = ThreadCpu.start(controlPlane.pid());
      for (int i = 0; i < batch; i++) {
        api.execQuick(sandboxId, TRUE);
      }
      done += batch;
      compilerShare = threads.share("C\\d CompilerThre.*");
    }
    results.detail("hot_exec_warmup_execs", done);
    return done;
  }

  /** {@code hot_exec_rps_16}: sync execs per second with several clients on one sandbox. */
  void throughput(String sandboxId) throws InterruptedException, IOException {
    int clients = scale.rpsClients();
    long warmupNanos = 1_000_000_000L;
    long measureNanos = scale.rpsSeconds() * 1_000_000_000L;
    int windows = Math.max(1, scale.rpsSeconds() / 2);
    var perWindow = new AtomicLong[windows];
    for (int i = 0; i < windows; i++) {
      perWindow[i] = new AtomicLong();
    }
    var latency = new Samples();
    var failure = new AtomicReference<Exception>();
    long begin = System.nanoTime();
    long measureFrom = begin + warmupNanos;
    long end = measureFrom + measureNanos;
    var threads = new ArrayList<Thread>();
    double cpuBefore = controlPlane.cpuMillis();
    var threadCpu = ThreadCpu.start(controlPlane.pid());
    for (int c = 0; c < clients; c++) {
      var thread =
          new Thread(
              () -> {
                try (var api = new Api(base)) {
                  while (System.nanoTime() < end && failure.get() == null) {
                    long start = System.nanoTime();
                    api.execQuick(sandboxId, TRUE);
                    long done = System.nanoTime();
                    if (start >= measureFrom && done <= end) {
                      latency.addNanosAsMillis(done - start);
                      int window = (int) ((done - measureFrom) * windows / measureNanos);
                      perWindow[Math.min(windows - 1, window)].incrementAndGet();
                    }
                  }
                } catch (IOException | RuntimeException e) {
                  failure.compareAndSet(null, e);
                }
              },
              "rps-client-" + c);
      thread.start();
      threads.add(thread);
    }
    for (var thread : threads) {
      thread.join();
    }
    double cpuMillis = controlPlane.cpuMillis() - cpuBefore;
    results.detail("hot_exec_rps_thread_cpu", threadCpu.finish(8));
    if (failure.get() != null) {
      throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
    }
    var rps = new Samples();
    double windowSeconds = measureNanos / 1e9 / windows;
    var windowRates = new ArrayList<Double>();
    for (var count : perWindow) {
      rps.add(count.get() / windowSeconds);
      windowRates.add(Figure.round(count.get() / windowSeconds));
    }
    String how =
        clients
            + " clients, each its own keep-alive connection, all on ONE sandbox (under"
            + " SANDBOX_EXEC_MAX_RUNNING=32), sync true; "
            + scale.rpsSeconds()
            + " s measured after 1 s warm-up";
    results.figure(
        "hot_exec_rps_" + clients,
        Figure.of(rps, "req/s", how + "; median and p99 over " + windows + " windows"));
    results.figure(
        "hot_exec_" + clients + "_clients_ms",
        Figure.of(latency, "ms", "latency of each exec of that load"));
    results.value("hot_exec_rps_" + clients, latency.count() / (measureNanos / 1e9));
    var detail = new LinkedHashMap<String, Object>();
    detail.put("window_rps", windowRates);
    detail.put("completed", latency.count());
    detail.put(
        "control_plane_cpu_cores_busy", Figure.round(cpuMillis / 1000 / ((end - begin) / 1e9)));
    results.detail("hot_exec_rps_" + clients, detail);
  }

  /**
   * The same sync exec on a fresh sandbox and on the busy one, which keeps every exec of the last
   * SANDBOX_EXEC_STATUS_RETENTION (30 min): shows whether the cost of an exec grows with them.
   */
  void retainedExecs(String busySandbox) throws IOException {
    int runs = Math.max(100, scale.hotRuns() / 4);
    try (var api = new Api(base)) {
      var fresh = api.create();
      try {
        var detail = new LinkedHashMap<String, Object>();
        for (var sandbox : List.of(fresh, busySandbox)) {
          for (int i = 0; i < runs / 4; i++) {
            api.execQuick(sandbox, TRUE);
          }
          var samples = new Samples();
          for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            api.execQuick(sandbox, TRUE);
            samples.addNanosAsMillis(System.nanoTime() - start);
          }
          var execs = api.retainedExecs(sandbox);
          var name = sandbox.equals(fresh) ? "fresh" : "busy";
          results.figure(
              "hot_exec_" + name + "_sandbox_ms",
              Figure.of(
                  samples,
                  "ms",
                  "sync true, one client, on a "
                      + name
                      + " sandbox ("
                      + execs
                      + " execs retained)"));
          detail.put(name + "_sandbox_execs_retained", execs);
          detail.put(name + "_sandbox_p50_ms", Figure.round(samples.median()));
        }
        results.detail("retained_execs", detail);
      } finally {
        api.delete(fresh);
      }
    }
  }
}
