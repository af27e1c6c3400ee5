package dev.sbx.bench;

import static dev.sbx.bench.MarkdownReport.list;
import static dev.sbx.bench.MarkdownReport.map;
import static dev.sbx.bench.MarkdownReport.text;

import java.util.Map;

/** The sections of latest.md behind the headline figures: heap, streams, Kubernetes, CPU. */
final class MarkdownDetails {

  private final StringBuilder md;
  private final Map<String, Object> details;

  MarkdownDetails(StringBuilder md, Map<String, Object> details) {
    this.md = md;
    this.details = details;
  }

  void render() {
    controlPlaneCpu();
    streaming();
    manyStreams();
    kubernetes();
  }

  private void controlPlaneCpu() {
    var idle = map(details.get("idle_control_plane"));
    var rps = map(details.get("hot_exec_rps_16"));
    md.append("## Control plane\n\n");
    var settings = map(details.get("control_plane_settings"));
    if (!settings.isEmpty()) {
      md.append("- Started by dev/bench.sh with ").append(text(settings));
      md.append(" (everything else at its default), JVM flags: `")
          .append(text(details.get("control_plane_jvm_flags")))
          .append("` (those of make run, plus Native Memory Tracking).\n");
    }
    if (!idle.isEmpty()) {
      md.append("- Idle, after start-up: heap ").append(text(idle.get("heap_after_gc_mb")));
      md.append(" MB after GC, RSS ").append(text(idle.get("rss_mb"))).append(" MB, ");
      md.append(text(idle.get("threads"))).append(" threads");
      var nmt = map(idle.get("native_memory_committed_mb"));
      if (!nmt.isEmpty()) {
        md.append("; committed by NMT category (MB): ").append(text(nmt));
      }
      md.append(".\n");
    }
    if (details.containsKey("hot_exec_control_plane_cpu_ms_per_exec")) {
      md.append("- Hot exec: ").append(text(details.get("hot_exec_control_plane_cpu_ms_per_exec")));
      md.append(" ms of control-plane CPU per sync exec (one client); p50 of the first and the");
      md.append(" last tenth of the measured execs: ");
      md.append(text(details.get("hot_exec_p50_first_and_last_tenth_ms"))).append(" ms.\n");
    }
    var retained = map(details.get("retained_execs"));
    if (!retained.isEmpty()) {
      md.append("- Retained execs: sync true p50 ")
          .append(text(retained.get("fresh_sandbox_p50_ms")));
      md.append(" ms on a fresh sandbox (")
          .append(text(retained.get("fresh_sandbox_execs_retained")));
      md.append(" execs kept) against ").append(text(retained.get("busy_sandbox_p50_ms")));
      md.append(" ms on the busy one (").append(text(retained.get("busy_sandbox_execs_retained")));
      md.append(" execs kept).\n");
    }
    if (!rps.isEmpty()) {
      md.append("- 16 clients: ").append(text(rps.get("completed"))).append(" execs, ");
      md.append("requests per second in each window ").append(text(rps.get("window_rps")));
      md.append("; the control plane kept ").append(text(rps.get("control_plane_cpu_cores_busy")));
      md.append(" cores busy.\n");
    }
    if (details.containsKey("stream_control_plane_cpu_seconds_per_gb")) {
      md.append("- Streaming: ")
          .append(text(details.get("stream_control_plane_cpu_seconds_per_gb")));
      md.append(" s of control-plane CPU per GB streamed (the driver, receiving: ");
      md.append(text(details.get("stream_driver_cpu_seconds_per_gb"))).append(" s).\n");
    }
    md.append('\n');
  }

  private void streaming() {
    var runs = list(details.get("stream_runs"));
    if (runs.isEmpty()) {
      return;
    }
    md.append("## Heap while streaming\n\n");
    md.append("`jstat -gc` every 250 ms during each stream (heap used = eden + survivors + old; ");
    md.append("the old generation is what outlives young collections).\n\n");
    md.append("| Run | MB/s | Bytes checked | Events | Heap used min / median / max MB ");
    md.append("| Old gen start / max / end MB | Committed start / max MB | Young GCs |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    int i = 1;
    for (var run : runs) {
      var r = map(run);
      var h = map(r.get("heap"));
      md.append("| ").append(i++).append(" | ").append(text(r.get("mb_per_s"))).append(" | ");
      md.append(text(r.get("bytes_received"))).append(" | ").append(text(r.get("events")));
      md.append(" | ").append(text(h.get("heap_used_min_mb"))).append(" / ");
      md.append(text(h.get("heap_used_median_mb"))).append(" / ");
      md.append(text(h.get("heap_used_max_mb"))).append(" | ");
      md.append(text(h.get("old_gen_start_mb")))
          .append(" / ")
          .append(text(h.get("old_gen_max_mb")));
      md.append(" / ").append(text(h.get("old_gen_end_mb"))).append(" | ");
      md.append(text(h.get("heap_committed_start_mb"))).append(" / ");
      md.append(text(h.get("heap_committed_max_mb"))).append(" | ");
      md.append(text(h.get("young_gcs"))).append(" |\n");
    }
    if (details.containsKey("stream_heap_verdict")) {
      md.append("\n").append(details.get("stream_heap_verdict")).append('\n');
    }
    md.append('\n');
  }

  private void manyStreams() {
    var many = map(details.get("many_streams"));
    if (many.isEmpty()) {
      return;
    }
    md.append("## 100 sandboxes, 200 open streams\n\n");
    md.append("Each sandbox runs two `while :; do echo tick; sleep 2; done` execs with one ");
    md.append("WebSocket subscriber each. ");
    md.append(text(many.get("sandboxes"))).append(" sandboxes, ");
    md.append(text(many.get("open_streams"))).append(" open streams, ");
    md.append(text(many.get("events_received"))).append(" events received; the control plane had ");
    md.append(text(many.get("threads"))).append(" threads and ");
    md.append(text(many.get("open_files"))).append(" open files; creating them took ");
    md.append(text(many.get("setup_seconds"))).append(" s.\n\n");
    var nmt = map(many.get("native_memory_committed_mb"));
    if (!nmt.isEmpty()) {
      md.append("Committed memory by Native Memory Tracking category (MB; RSS counts only the ");
      md.append("touched part of it):\n\n| Category | MB |\n|---|---|\n");
      nmt.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(text(v)).append(" |\n"));
      md.append('\n');
    }
  }

  private void kubernetes() {
    var k8s = map(details.get("kubernetes"));
    if (k8s.isEmpty()) {
      return;
    }
    md.append("## Kubernetes runtime (fabric8 mock API server)\n\n");
    md.append("`KubernetesCreateBenchTest` (control-plane test sources, `@Tag(\"bench\")`), CRUD ");
    md.append("mock server, requests counted from its request log.\n\n");
    md.append("| | |\n|---|---|\n");
    k8s.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(text(v)).append(" |\n"));
    md.append('\n');
  }
}
