package dev.sbx.bench;

import static dev.sbx.bench.MarkdownReport.list;
import static dev.sbx.bench.MarkdownReport.map;
import static dev.sbx.bench.MarkdownReport.text;

import java.util.Map;

/** The tables of one JFR digest in latest.md. */
final class ProfileTables {

  private final StringBuilder md;

  ProfileTables(StringBuilder md) {
    this.md = md;
  }

  void render(String title, Map<String, Object> digest) {
    if (digest.isEmpty()) {
      return;
    }
    md.append("### ").append(title).append("\n\n");
    md.append(text(digest.get("execution_samples"))).append(" CPU samples");
    if (digest.containsKey("execs")) {
      md.append(" over ").append(text(digest.get("execs"))).append(" execs");
    }
    md.append("; ").append(text(digest.get("allocated_mb")));
    md.append(" MB allocated (per-thread totals); ").append(text(digest.get("gc_count")));
    md.append(" GCs, ").append(text(digest.get("gc_pause_ms"))).append(" ms of pauses.\n\n");
    table("Top methods (self)", digest.get("top_methods_self"), "samples", 10);
    table("Our methods (inclusive)", digest.get("our_methods_inclusive"), "samples", 10);
    table("Threads", digest.get("threads"), "samples", 6);
    table("Allocation by thread", digest.get("allocation_by_thread"), "mb", 5);
    table(
        "Allocation by site (JFR weighs each sample by all its thread allocated since the last one)",
        digest.get("allocation_by_site"),
        "mb",
        8);
    table("Allocation by class", digest.get("allocation_by_class"), "mb", 6);
    table("Monitor contention", digest.get("monitor_enter_ms"), "ms", 5);
  }

  /** CPU per thread group from /proc during a measured load. */
  void threadCpu(String title, Map<String, Object> cpu) {
    if (cpu.isEmpty()) {
      return;
    }
    md.append("CPU by thread during ").append(title).append(" (from /proc, all threads: ");
    md.append(text(cpu.get("total_cpu_ms"))).append(" ms in total):\n\n");
    table("Thread", cpu.get("threads"), "ms", 8);
  }

  private void table(String title, Object rows, String unit, int limit) {
    var list = list(rows);
    if (list.isEmpty()) {
      return;
    }
    md.append("| ").append(title).append(" | ").append(unit).append(" | % |\n|---|---|---|\n");
    for (var row : list.subList(0, Math.min(limit, list.size()))) {
      var r = map(row);
      md.append("| `").append(r.get("name")).append("` | ").append(text(r.get(unit)));
      md.append(" | ")
          .append(r.containsKey("percent") ? text(r.get("percent")) : "")
          .append(" |\n");
    }
    md.append('\n');
  }
}
