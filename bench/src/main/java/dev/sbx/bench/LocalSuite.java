package dev.sbx.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything measured against a running control plane with the local runtime, in one run, so that
 * the floor (raw join) and the figures compared with it share the machine's state.
 */
final class LocalSuite {

  /** One part of the suite; a part that fails leaves its figures null and a note, not a crash. */
  private interface Part {
    void run() throws Exception;
  }

  private final URI base;
  private final Path stateDir;
  private final Path repoRoot;
  private final Path tmp;
  private final Scale scale;
  private final Jvm controlPlane;
  private final Results results = new Results();
  private final String only;

  LocalSuite(Options options) {
    this.base = options.url();
    this.stateDir = options.path("state-dir");
    this.repoRoot = options.path("root");
    this.tmp = options.path("tmp");
    this.scale = options.quick() ? Scale.QUICK : Scale.FULL;
    this.controlPlane = new Jvm(options.pid());
    this.only = options.only();
  }

  void run() throws Exception {
    results.detail("machine", Machine.describe(controlPlane));
    results.detail(
        "scale", scale.equals(Scale.QUICK) ? "quick (smoke, not for comparing)" : "full");
    var disturbance = new Disturbance(controlPlane.pid());
    part("idle", this::idle);
    var execs = new ExecBenchmarks(base, scale, results, controlPlane);
    var commands = new CommandBenchmarks(base, scale, results, tmp);
    try (var api = new Api(base)) {
      var hot = api.create();
      api.exec(hot, "true");
      var hotP50 = new double[] {Double.NaN};
      var rawP50 = new double[] {Double.NaN};
      part("hot_exec", () -> hotP50[0] = execs.hotExec(hot).median());
      part(
          "raw_join",
          () -> {
            var raw = commands.rawJoin(stateDir.resolve(hot));
            rawP50[0] = raw == null ? Double.NaN : raw;
          });
      results.value("hot_exec_ratio", hotP50[0] / rawP50[0]);
      if (Double.isNaN(rawP50[0])) {
        results.note("hot_exec_ratio", "null: no raw_join_spawn_p50_ms to divide by.");
      }
      part("hot_exec_rps", () -> execs.throughput(hot));
      var createP50 = new double[] {Double.NaN};
      var bwrapP50 = new double[] {Double.NaN};
      var containment = new ContainmentBenchmarks(base, scale, results, new CommandTimer(tmp));
      var creates = new CreateBenchmarks(base, scale, results);
      part("create_to_first_exec", () -> createP50[0] = creates.createToFirstExec());
      part("raw_bwrap", () -> bwrapP50[0] = containment.rawBwrapSpawn());
      results.value("create_to_first_exec_ratio", createP50[0] / bwrapP50[0]);
      var coldP50 = new double[] {Double.NaN};
      part("cold_create_to_first_exec", () -> coldP50[0] = creates.coldCreateToFirstExec());
      results.value("cold_create_to_first_exec_ratio", coldP50[0] / bwrapP50[0]);
      part("fork_bomb", containment::healthzDuringForkBomb);
      part("oom_kill", containment::oomKillToExit);
      part("cli_exec", () -> commands.cliExec(repoRoot, hot));
      part("cli_mcp", () -> new McpStartupBenchmark(base, scale, results).run(repoRoot));
      // Before the stream: a GB streamed leaves the heap committed big, which RSS would show.
      part("many_streams", new ManyStreamsBenchmark(base, scale, results, controlPlane)::run);
      part("stream", () -> stream(api));
      part(
          "stream_clients",
          () -> new StreamClients(base, scale, results, tmp.resolve("node")).run(api, stateDir));
      if (scale.profile()) {
        part("profile_hot_exec", () -> profileHotExec(hot));
      }
      part("retained_execs", () -> execs.retainedExecs(hot));
      part("files", () -> new FilesBenchmark(base, scale, results, tmp).run(api));
      part("tty", () -> new TerminalBenchmark(base, scale, results).run(api));
      part("mcp", () -> new McpBenchmark(base, scale, results).run(api));
      part("egress", new EgressBenchmarks(base, stateDir, scale, results, controlPlane)::run);
      api.delete(hot);
    }
    results.detail("disturbance", disturbance.finish());
    disturbance.close();
    results.write(tmp.resolve("local.json"));
  }

  private void idle() throws Exception {
    results.detail("control_plane_settings", controlPlane.settings());
    results.detail("control_plane_jvm_flags", controlPlane.jvmFlags());
    var idle = new LinkedHashMap<String, Object>();
    idle.put("heap_after_gc_mb", Figure.round(controlPlane.heapAfterGcMb()));
    idle.put("rss_mb", Figure.round(controlPlane.rssMb()));
    idle.put("threads", controlPlane.threads());
    idle.put("native_memory_committed_mb", controlPlane.nativeMemoryMb());
    results.detail("idle_control_plane", idle);
  }

  private void stream(Api api) throws Exception {
    var sandbox = api.create();
    var workspace = stateDir.resolve(sandbox).resolve("fs/workspace");
    var benchmark = new StreamBenchmark(base, scale, results, controlPlane);
    try {
      long size = benchmark.prepare(api, sandbox, workspace);
      benchmark.measure(api, sandbox, workspace, size);
      if (scale.profile()) {
        profileStream(benchmark, api, sandbox, workspace, size);
      }
    } finally {
      api.delete(sandbox);
    }
  }

  /**
   * One more stream under JFR, with sync {@code true} execs in the same sandbox meanwhile: their
   * latency shows whether a big output holds up the sandbox's other execs.
   */
  private void profileStream(
      StreamBenchmark benchmark, Api api, String sandbox, Path workspace, long size)
      throws Exception {
    var neighbours = new Samples();
    var done = new AtomicBoolean();
    var side =
        new Thread(
            () -> {
              try (var other = new Api(base)) {
                while (!done.get()) {
                  long start = System.nanoTime();
                  other.execQuick(sandbox, ExecBenchmarks.TRUE);
                  neighbours.addNanosAsMillis(System.nanoTime() - start);
                  Thread.sleep(20);
                }
              } catch (Exception e) {
                results.note("exec_during_stream", "the side execs failed: " + e);
              }
            },
            "side-execs");
    Path recording;
    try {
      side.start();
      recording =
          new Profiler(controlPlane, tmp)
              .record("profile-stream", () -> benchmark.streamOnce(api, sandbox, workspace, size));
    } finally {
      done.set(true);
      side.join();
    }
    results.detail("profile_stream", JfrDigest.of(recording, 15));
    results.figure(
        "exec_during_stream_ms",
        Figure.of(
            neighbours,
            "ms",
            "sync true in the streaming sandbox, every 20 ms while the profiled stream ran; max "
                + Figure.round(neighbours.max())
                + " ms"));
  }

  private void profileHotExec(String sandbox) throws Exception {
    var recording =
        new Profiler(controlPlane, tmp)
            .record(
                "profile-hot-exec",
                () -> {
                  try (var api = new Api(base)) {
                    for (int i = 0; i < scale.hotRuns(); i++) {
                      api.execQuick(sandbox, ExecBenchmarks.TRUE);
                    }
                  }
                });
    var digest = JfrDigest.of(recording, 15);
    digest.put("execs", scale.hotRuns());
    results.detail("profile_hot_exec", digest);
  }

  private void part(String name, Part part) {
    if (only != null && !Arrays.asList(only.split(",")).contains(name)) {
      return;
    }
    System.err.println("bench: " + name);
    long start = System.nanoTime();
    try {
      part.run();
    } catch (Exception e) {
      System.err.println("bench: " + name + " failed: " + e);
      e.printStackTrace();
      results.note(name, "failed: " + e);
    }
    System.err.printf("bench: %s took %.1f s%n", name, (System.nanoTime() - start) / 1e9);
  }
}
