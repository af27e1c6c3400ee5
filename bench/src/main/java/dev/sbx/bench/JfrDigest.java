package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sums up a JFR recording of the control plane: where CPU samples land (top frame, and the first of
 * our own frames on the stack), which threads burn them, what is allocated and where, monitor
 * contention and GC pauses.
 */
final class JfrDigest {

  private final Map<String, Double> selfSamples = new HashMap<>();
  private final Map<String, Double> ourInclusive = new HashMap<>();
  private final Map<String, Double> threads = new HashMap<>();
  private final Map<String, Double> allocByClass = new HashMap<>();
  private final Map<String, Double> allocBySite = new HashMap<>();
  private final Map<Long, long[]> allocatedByThreadId = new HashMap<>();
  private final Map<Long, String> threadNames = new HashMap<>();
  private final Map<String, Double> monitors = new HashMap<>();
  private long executionSamples;
  private double allocatedBytes;
  private long gcs;
  private double gcPauseMillis;

  static Map<String, Object> of(Path recording, int top) throws IOException {
    var digest = new JfrDigest();
    try (var file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        digest.add(file.readEvent());
      }
    }
    return digest.toMap(top);
  }

  private void add(RecordedEvent event) {
    switch (event.getEventType().getName()) {
      case "jdk.ExecutionSample" -> executionSample(event);
      case "jdk.ObjectAllocationSample" -> allocation(event);
      case "jdk.JavaMonitorEnter" -> {
        var frames = frames(event);
        var where = frames.isEmpty() ? "?" : method(frames.get(0));
        monitors.merge(
            event.getClass("monitorClass").getName() + " in " + where,
            event.getDuration().toNanos() / 1e6,
            Double::sum);
      }
      case "jdk.ThreadAllocationStatistics" -> threadAllocation(event);
      case "jdk.GarbageCollection" -> {
        gcs++;
        gcPauseMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
      }
      default -> {}
    }
  }

  private void executionSample(RecordedEvent event) {
    var frames = frames(event);
    if (frames.isEmpty()) {
      return;
    }
    executionSamples++;
    selfSamples.merge(method(frames.get(0)), 1.0, Double::sum);
    var thread = event.getThread("sampledThread");
    var name = thread == null ? "?" : String.valueOf(thread.getJavaName());
    threads.merge(name.replaceAll("\\d+", "N"), 1.0, Double::sum);
    var seen = new HashSet<String>();
    for (var frame : frames) {
      var method = method(frame);
      if (method.startsWith("dev.sbx.") && seen.add(method)) {
        ourInclusive.merge(method, 1.0, Double::sum);
      }
    }
  }

  /** Bytes each thread allocated so far, reported at the recording's start and end. */
  private void threadAllocation(RecordedEvent event) {
    var thread = event.getThread("thread");
    if (thread == null) {
      return;
    }
    long allocated = event.getLong("allocated");
    threadNames.put(thread.getJavaThreadId(), String.valueOf(thread.getJavaName()));
    allocatedByThreadId.merge(
        thread.getJavaThreadId(),
        new long[] {allocated, allocated},
        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
  }

  private void allocation(RecordedEvent event) {
    double weight = event.getLong("weight");
    allocatedBytes += weight;
    allocByClass.merge(event.getClass("objectClass").getName(), weight, Double::sum);
    var frames = frames(event);
    if (frames.isEmpty()) {
      return;
    }
    var top = method(frames.get(0));
    var site = top;
    for (var frame : frames) {
      var method = method(frame);
      if (!method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")) {
        site = method.equals(top) ? top : method + " -> " + shortName(top);
        break;
      }
    }
    allocBySite.merge(site, weight, Double::sum);
  }

  private Map<String, Object> toMap(int top) {
    var byThread = new HashMap<String, Double>();
    double exact = 0;
    for (var entry : allocatedByThreadId.entrySet()) {
      double delta = entry.getValue()[1] - entry.getValue()[0];
      exact += delta;
      byThread.merge(threadNames.get(entry.getKey()).replaceAll("\\d+", "N"), delta, Double::sum);
    }
    // The samples' weights are only good for shares: scale them to the exact total when known.
    double scale = exact > 0 && allocatedBytes > 0 ? exact / allocatedBytes : 1;
    allocBySite.replaceAll((k, v) -> v * scale);
    allocByClass.replaceAll((k, v) -> v * scale);
    double total = exact > 0 ? exact : allocatedBytes;
    var map = new LinkedHashMap<String, Object>();
    map.put("execution_samples", executionSamples);
    map.put("top_methods_self", ranked(selfSamples, executionSamples, top, "samples"));
    map.put("our_methods_inclusive", ranked(ourInclusive, executionSamples, top, "samples"));
    map.put("threads", ranked(threads, executionSamples, top, "samples"));
    map.put("allocated_mb", Figure.round(total / 1e6));
    map.put("allocation_by_thread", ranked(byThread, total, top, "mb"));
    map.put("allocation_by_class", ranked(allocByClass, total, top, "mb"));
    map.put("allocation_by_site", ranked(allocBySite, total, top, "mb"));
    map.put("monitor_enter_ms", ranked(monitors, 0, 5, "ms"));
    map.put("gc_count", gcs);
    map.put("gc_pause_ms", Figure.round(gcPauseMillis));
    return map;
  }

  private static List<Map<String, Object>> ranked(
      Map<String, Double> counts, double total, int top, String unit) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(top)
        .map(
            e -> {
              var row = new LinkedHashMap<String, Object>();
              row.put("name", e.getKey());
              row.put(unit, Figure.round(unit.equals("mb") ? e.getValue() / 1e6 : e.getValue()));
              if (total > 0) {
                row.put("percent", Figure.round(100 * e.getValue() / total));
              }
              return (Map<String, Object>) row;
            })
        .toList();
  }

  private static List<RecordedFrame> frames(RecordedEvent event) {
    var stack = event.getStackTrace();
    return stack == null ? List.of() : stack.getFrames();
  }

  private static String method(RecordedFrame frame) {
    var method = frame.getMethod();
    return method.getType().getName() + "." + method.getName();
  }

  private static String shortName(String method) {
    int dot = method.lastIndexOf('.', method.lastIndexOf('.') - 1);
    return dot < 0 ? method : method.substring(dot + 1);
  }
}
