package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the control plane's threads during a load, from /proc/PID/task/TID/stat, grouped by
 * thread name with digits masked (http-nio-...-exec-N): shows where CPU goes outside Java code too
 * (GC, JIT compilers, native calls), which JFR's execution samples do not.
 */
final class ThreadCpu {

  private final long pid;
  private final Map<Long, Long> start;

  private ThreadCpu(long pid) {
    this.pid = pid;
    this.start = ticksByThread();
  }

  static ThreadCpu start(long pid) {
    return new ThreadCpu(pid);
  }

  /** CPU ms per thread group since the start, largest first, with the total. */
  Map<String, Object> finish(int top) {
    var byName = new HashMap<String, Long>();
    long total = 0;
    for (var entry : ticksByThread().entrySet()) {
      long delta = entry.getValue() - start.getOrDefault(entry.getKey(), 0L);
      if (delta > 0) {
        byName.merge(name(entry.getKey()), delta, Long::sum);
        total += delta;
      }
    }
    var rows = new ArrayList<Map<String, Object>>();
    long shown = total;
    byName.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e -> {
              var row = new LinkedHashMap<String, Object>();
              row.put("name", e.getKey());
              row.put("ms", e.getValue() * 10.0);
              row.put("percent", Figure.round(100.0 * e.getValue() / Math.max(1, shown)));
              rows.add(row);
            });
    var map = new LinkedHashMap<String, Object>();
    map.put("total_cpu_ms", total * 10.0);
    map.put("threads", rows);
    return map;
  }

  /** The share (0..1) of CPU since the start taken by threads whose name matches the regex. */
  double share(String nameRegex) {
    long total = 0;
    long matching = 0;
    for (var entry : ticksByThread().entrySet()) {
      long delta = entry.getValue() - start.getOrDefault(entry.getKey(), 0L);
      if (delta > 0) {
        total += delta;
        if (rawName(entry.getKey()).matches(nameRegex)) {
          matching += delta;
        }
      }
    }
    return total == 0 ? 0 : (double) matching / total;
  }

  private Map<Long, Long> ticksByThread() {
    var ticks = new HashMap<Long, Long>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (var task : tasks.toList()) {
        long tid = Long.parseLong(task.getFileName().toString());
        long t = ticks(tid);
        if (t >= 0) {
          ticks.put(tid, t);
        }
      }
    } catch (IOException e) {
      // the process is gone: nothing to count
    }
    return ticks;
  }

  private long ticks(long tid) {
    try {
      var stat = Files.readString(task(tid).resolve("stat"));
      var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private String name(long tid) {
    return rawName(tid).replaceAll("\\d+", "N");
  }

  private String rawName(long tid) {
    try {
      return Files.readString(task(tid).resolve("comm")).trim();
    } catch (IOException e) {
      return "(ended)";
    }
  }

  private Path task(long tid) {
    return Path.of("/proc", Long.toString(pid), "task", Long.toString(tid));
  }
}
