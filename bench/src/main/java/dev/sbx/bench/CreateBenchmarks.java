package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.util.TreeMap;

/**
 * {@code create_to_first_exec} and {@code cold_create_to_first_exec}: from a create to the first
 * exec's answer, with creates the warm pool may serve and with creates it never does.
 */
final class CreateBenchmarks {

  private final URI base;
  private final Scale scale;
  private final Results results;

  CreateBenchmarks(URI base, Scale scale, Results results) {
    this.base = base;
    this.scale = scale;
    this.results = results;
  }

  /**
   * {@code create_to_first_exec_*}: create, then the first sync exec; delete untimed. The creates
   * name no id, as {@code sbx create} does, so the warm pool serves them when it has a sandbox
   * ready: rounds are {@value #ROUND_GAP_MILLIS} ms apart, a user's pace rather than a burst, and
   * each round's launch type is counted. Returns create_to_first_exec_p50_ms.
   */
  double createToFirstExec() throws IOException, InterruptedException {
    var total = new Samples();
    var createOnly = new Samples();
    var launchTypes = new TreeMap<String, Integer>();
    int warmup = 3;
    try (var api = new Api(base)) {
      for (int i = 0; i < warmup + scale.createRuns(); i++) {
        Thread.sleep(ROUND_GAP_MILLIS);
        long start = System.nanoTime();
        var created = api.createAnswer("{}");
        long done = firstExec(api, (String) created.get("id"));
        if (i >= warmup) {
          total.addNanosAsMillis(done - start);
          createOnly.addNanosAsMillis(created.nanos() - start);
          launchTypes.merge(String.valueOf(created.get("launch_type")), 1, Integer::sum);
        }
      }
    }
    results.figure(
        "create_to_first_exec_ms",
        Figure.of(
            total,
            "ms",
            "POST /sandboxes {} then sync exec true (local runtime), delete untimed, rounds "
                + ROUND_GAP_MILLIS
                + " ms apart, after "
                + warmup
                + " warm-up rounds; launch types "
                + launchTypes));
    results.figure("create_ms", Figure.of(createOnly, "ms", "POST /sandboxes alone (201)"));
    results.value("create_to_first_exec_p50_ms", total.median());
    return total.median();
  }

  /**
   * {@code cold_create_to_first_exec_*}: the same with a named id, which the warm pool never
   * serves: every sandbox is started for its create. Returns its p50.
   */
  double coldCreateToFirstExec() throws IOException, InterruptedException {
    var total = new Samples();
    int warmup = 3;
    try (var api = new Api(base)) {
      for (int i = 0; i < warmup + scale.createRuns(); i++) {
        Thread.sleep(ROUND_GAP_MILLIS);
        long start = System.nanoTime();
        var created = api.createAnswer("{\"id\":\"bench-cold-" + i + "\"}");
        long done = firstExec(api, (String) created.get("id"));
        if (i >= warmup) {
          total.addNanosAsMillis(done - start);
        }
      }
    }
    results.figure(
        "cold_create_to_first_exec_ms",
        Figure.of(
            total,
            "ms",
            "POST /sandboxes {\"id\":...} (a named create is always cold) then sync exec true,"
                + " delete untimed, rounds "
                + ROUND_GAP_MILLIS
                + " ms apart, after "
                + warmup
                + " warm-up rounds"));
    results.value("cold_create_to_first_exec_p50_ms", total.median());
    return total.median();
  }

  private static final long ROUND_GAP_MILLIS = 300;

  /** Runs {@code true} in the new sandbox, then deletes it; returns when the exec answered. */
  private static long firstExec(Api api, String id) throws IOException {
    api.exec(id, "true");
    long done = System.nanoTime();
    api.delete(id);
    return done;
  }
}
