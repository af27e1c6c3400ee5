package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What containment costs and what it keeps: a fresh bwrap spawn (the floor create is compared
 * with), {@code /healthz} while another sandbox runs a fork bomb, and the time from a memory limit
 * crossed to the exec's {@code oom_killed} answer.
 */
final class ContainmentBenchmarks {

  // Capped by ulimit -u as well, so that a control plane without a pids limit survives it.
  private static final String BOMB = "ulimit -u 1000; b() { b & b; }; b";

  // Grows a bash array by 1 MiB a step and prints the time (ns) after each step: the last line is
  // the last moment under the limit, give or take one step. Without a limit it stops at 1 GB
  // (ulimit -v) or 30 s, whichever comes first.
  // awk keeps a new 1 MiB string a step and prints the time after each. bash growing an array of
  // $(head ...) was the hog before: reading a command's output, it managed 199 MiB in 30 s on a
  // slow day, under the 256 MiB limit, and the figure went null. ulimit -v bounds it all the same
  // when no memory limit holds.
  private static final String HOG =
      "ulimit -v 1048576; awk 'BEGIN { s = \"a\"; while (length(s) < 1048576) s = s s;"
          + " while (1) { a[n++] = s n; system(\"date +%s%N\") } }'";

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final CommandTimer timer;

  ContainmentBenchmarks(URI base, Scale scale, Results results, CommandTimer timer) {
    this.base = base;
    this.scale = scale;
    this.results = results;
    this.timer = timer;
  }

  /** {@code raw_bwrap_spawn_p50_ms}: bwrap with every namespace and /usr, running true. */
  double rawBwrapSpawn() throws IOException, InterruptedException {
    var command =
        List.of(
            "bwrap",
            "--unshare-all",
            "--die-with-parent",
            "--ro-bind",
            "/usr",
            "/usr",
            "--symlink",
            "usr/bin",
            "/bin",
            "--symlink",
            "usr/lib",
            "/lib",
            "--symlink",
            "usr/lib64",
            "/lib64",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--",
            "/usr/bin/true");
    var timing = timer.time("raw-bwrap", command, Map.of(), 20, scale.rawJoinRuns());
    results.figure(
        "raw_bwrap_spawn_ms",
        Figure.of(timing.samples(), "ms", String.join(" ", command) + ", " + timing.method()));
    results.value("raw_bwrap_spawn_p50_ms", timing.samples().median());
    return timing.samples().median();
  }

  /**
   * {@code healthz_p99_fork_bomb_ms}: /healthz, one client, while another sandbox runs a fork bomb
   * (its default limits), beside the same measured with no bomb; then how long cancelling it takes.
   */
  void healthzDuringForkBomb() throws IOException {
    var seconds = scale.profile() ? 10 : 2;
    try (var api = new Api(base)) {
      var idle = healthz(api, seconds / 2);
      results.figure("healthz_idle_ms", Figure.of(idle, "ms", "GET /healthz, one client, no load"));
      var sandbox = api.create();
      try {
        var execId = api.execAsync(sandbox, "bash", "-c", BOMB);
        var bombed = healthz(api, seconds);
        results.figure(
            "healthz_fork_bomb_ms",
            Figure.of(
                bombed,
                "ms",
                "GET /healthz, one client, while another sandbox runs "
                    + BOMB
                    + " under the default limits"));
        results.value("healthz_p99_fork_bomb_ms", bombed.percentile(99));
        results.value("healthz_p99_idle_ms", idle.percentile(99));
        long start = System.nanoTime();
        var cancel = api.post("/sandboxes/" + sandbox + "/execs/" + execId + "/cancel", "");
        var cancelMs = (System.nanoTime() - start) / 1e6;
        results.value("fork_bomb_cancel_ms", cancelMs);
        if (cancel.status() != 200) {
          results.note("fork_bomb_cancel_ms", "cancel answered " + cancel.status());
        }
      } finally {
        api.delete(sandbox);
      }
    }
  }

  /**
   * {@code oom_kill_to_exit_p50_ms}: from the last step under a 256 MiB memory limit (1 MiB steps)
   * to the sync exec's answer, which should say oom_killed.
   */
  void oomKillToExit() throws IOException {
    var samples = new Samples();
    String status = null;
    try (var api = new Api(base)) {
      var sandbox = api.create("{\"resources\":{\"mem_limit\":\"256Mi\"}}");
      try {
        for (int i = 0; i < (scale.profile() ? 5 : 2); i++) {
          var response =
              api.post(
                  "/sandboxes/" + sandbox + "/exec",
                  Api.body(new String[] {"bash", "-c", HOG}, false));
          long answered = System.currentTimeMillis();
          var result = Json.parseObject(response.body());
          status = result.get("status") + "/" + result.get("reason");
          if (!"oom_killed".equals(result.get("reason"))) {
            break;
          }
          var lines = String.valueOf(result.get("stdout")).strip().lines().toList();
          var last = Long.parseLong(lines.get(lines.size() - 1).trim());
          samples.add(answered - last / 1e6);
        }
      } finally {
        api.delete(sandbox);
      }
    }
    if (samples.count() == 0) {
      results.value("oom_kill_to_exit_p50_ms", null);
      results.note(
          "oom_kill_to_exit_p50_ms",
          "not measured: the hog ended " + status + " (no memory limit enforced?)");
      return;
    }
    results.figure(
        "oom_kill_to_exit_ms",
        Figure.of(
            samples,
            "ms",
            "sync exec of awk keeping 1 MiB more a step under mem_limit 256Mi: from the"
                + " last step's timestamp (inside) to the oom_killed answer (outside)"));
    results.value("oom_kill_to_exit_p50_ms", samples.median());
  }

  private Samples healthz(Api api, int seconds) throws IOException {
    var samples = new Samples();
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < until) {
      long start = System.nanoTime();
      var response = api.get("/healthz");
      samples.addNanosAsMillis(System.nanoTime() - start);
      if (response.status() != 200) {
        throw new IOException("/healthz answered " + response.status());
      }
    }
    return samples;
  }
}
