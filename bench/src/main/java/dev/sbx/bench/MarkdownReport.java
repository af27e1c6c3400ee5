package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** latest.md: the merged results for people, targets first, profile last. */
final class MarkdownReport {

  private final Map<String, Object> root;
  private final Path tmp;
  private final String findings;
  private final StringBuilder md = new StringBuilder();

  MarkdownReport(Map<String, Object> root, Path tmp, String findings) {
    this.root = root;
    this.tmp = tmp;
    this.findings = findings;
  }

  String render() throws IOException {
    md.append("# Benchmark results\n\n");
    md.append("`make bench`, ").append(root.get("generated_at")).append(", scale: ");
    md.append(root.get("scale"))
        .append(". Written by `dev/bench.sh`; raw data in `latest.json`.\n\n");
    machineLine();
    disturbance();
    targets();
    figures();
    notes();
    new MarkdownDetails(md, map(root.get("details"))).render();
    profile();
    machineTable();
    return md.toString();
  }

  private void machineLine() {
    var m = map(root.get("machine"));
    if (m.isEmpty()) {
      return;
    }
    md.append("Machine: ").append(m.get("cpu_model")).append(", ").append(text(m.get("cores")));
    md.append(" cores, ").append(text(m.get("memory_mb"))).append(" MB, Linux ");
    md.append(m.get("kernel"));
    md.append(", ").append(m.get("jdk")).append(", as ").append(m.get("user")).append(".\n\n");
  }

  private void disturbance() {
    var d = map(map(root.get("details")).get("disturbance"));
    if (d.isEmpty()) {
      return;
    }
    boolean disturbed = Boolean.TRUE.equals(d.get("disturbed"));
    md.append(disturbed ? "**Disturbed run:** " : "Other load: ");
    md.append("processes other than the control plane, its sandboxes and the driver used ");
    md.append(d.get("other_processes_average_cores")).append(" cores on average over ");
    md.append(d.get("wall_seconds")).append(" s (load average at the end: ");
    md.append(d.get("load_average_at_end")).append(").");
    md.append(
        disturbed ? " Figures that need CPU (throughput, streaming) are likely low.\n" : "\n");
    for (var line : list(d.get("busiest_other_processes"))) {
      md.append("- ").append(line).append('\n');
    }
    md.append('\n');
  }

  private void targets() {
    md.append("## Targets\n\nReported, not enforced: the run never fails on them.\n\n");
    md.append("| Figure | Value | Target | Met |\n|---|---|---|---|\n");
    for (var entry : map(root.get("targets")).entrySet()) {
      var row = map(entry.getValue());
      var met = row.get("met");
      md.append("| `").append(entry.getKey()).append("` | ").append(text(row.get("value")));
      md.append(" | ").append(row.get("target")).append(" | ");
      md.append(met == null ? "not measured" : (Boolean) met ? "yes" : "**no**").append(" |\n");
    }
    md.append('\n');
  }

  private void figures() {
    md.append("## Figures\n\n| Key | Value |\n|---|---|\n");
    for (var key : Targets.KEYS) {
      md.append("| `").append(key).append("` | ").append(text(root.get(key))).append(" |\n");
    }
    md.append("\nEvery measurement, percentiles by nearest rank over all runs:\n\n");
    md.append("| Measurement | Median | p99 | Runs | Unit | How |\n|---|---|---|---|---|---|\n");
    for (var entry : map(root.get("figures")).entrySet()) {
      var f = map(entry.getValue());
      md.append("| ").append(entry.getKey()).append(" | ").append(text(f.get("median")));
      md.append(" | ").append(text(f.get("p99"))).append(" | ").append(text(f.get("runs")));
      md.append(" | ").append(f.get("unit")).append(" | ").append(f.get("method")).append(" |\n");
    }
    md.append('\n');
  }

  private void notes() {
    var notes = map(root.get("notes"));
    if (notes.isEmpty()) {
      return;
    }
    md.append("## Notes\n\n");
    notes.forEach((k, v) -> md.append("- `").append(k).append("`: ").append(v).append('\n'));
    md.append('\n');
  }

  private void profile() throws IOException {
    md.append("## Profile\n\n");
    md.append("JFR (`settings=profile`) in the control plane while the hot-exec load and one ");
    md.append("stream ran again (recordings in `bench/results/tmp/`, not committed). CPU samples ");
    md.append("by top frame (self) and by our own methods anywhere on the stack (inclusive).\n\n");
    var details = map(root.get("details"));
    var tables = new ProfileTables(md);
    tables.render("Hot exec", map(details.get("profile_hot_exec")));
    tables.threadCpu("the measured hot-exec run", map(details.get("hot_exec_thread_cpu")));
    tables.threadCpu("the 16-client run", map(details.get("hot_exec_rps_thread_cpu")));
    tables.render("Streaming", map(details.get("profile_stream")));
    tables.threadCpu("the measured streams", map(details.get("stream_thread_cpu")));
    if (findings != null) {
      md.append("### Findings\n\n").append(findings.strip()).append("\n\n");
    }
    if (Files.isDirectory(tmp)) {
      try (var files = Files.list(tmp)) {
        for (var file : files.filter(f -> f.toString().endsWith(".view.txt")).sorted().toList()) {
          md.append("<details><summary>").append(file.getFileName()).append("</summary>\n\n```\n");
          md.append(Files.readString(file).strip()).append("\n```\n</details>\n\n");
        }
      }
    }
  }

  private void machineTable() {
    md.append("## Machine\n\n| | |\n|---|---|\n");
    map(root.get("machine"))
        .forEach((k, v) -> md.append("| ").append(k).append(" | ").append(text(v)).append(" |\n"));
  }

  static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    if (value instanceof List<?> list) {
      return list.stream().map(MarkdownReport::text).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .map(e -> e.getKey() + ": " + text(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return value.toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }
}
