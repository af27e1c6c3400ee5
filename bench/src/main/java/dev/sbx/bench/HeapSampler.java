package dev.sbx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the control plane's heap while a load runs, with one long-lived {@code jstat -gc PID
 * INTERVAL} (it reads the JVM's perf-data memory, so sampling costs the measured process nothing,
 * unlike a jcmd per sample).
 */
final class HeapSampler implements AutoCloseable {

  /**
   * One jstat line, in MB.
   *
   * @param used young + survivors + old in use
   * @param old the old generation in use: what survives young collections
   * @param committed the heap the JVM holds
   * @param youngGcs young collections so far
   * @param fullGcs full collections so far
   */
  record Sample(double used, double old, double committed, long youngGcs, long fullGcs) {}

  private final Process jstat;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread reader;

  private HeapSampler(Process jstat) {
    this.jstat = jstat;
    this.reader = new Thread(this::read, "heap-sampler");
    reader.setDaemon(true);
    reader.start();
  }

  static HeapSampler start(long pid, int intervalMillis) throws IOException {
    return new HeapSampler(
        new ProcessBuilder("jstat", "-gc", Long.toString(pid), Integer.toString(intervalMillis))
            .redirectErrorStream(true)
            .start());
  }

  private void read() {
    try (var in =
        new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> header = null;
      for (var line = in.readLine(); line != null; line = in.readLine()) {
        var fields = List.of(line.trim().split("\\s+"));
        if (fields.contains("EU")) {
          header = fields;
        } else if (header != null && fields.size() == header.size()) {
          add(header, fields);
        }
      }
    } catch (IOException | RuntimeException e) {
      // jstat ended
    }
  }

  private void add(List<String> header, List<String> fields) {
    double used = 0;
    double committed = 0;
    for (var column : List.of("S0U", "S1U", "EU", "OU")) {
      used += value(header, fields, column);
    }
    for (var column : List.of("S0C", "S1C", "EC", "OC")) {
      committed += value(header, fields, column);
    }
    var sample =
        new Sample(
            used / 1024,
            value(header, fields, "OU") / 1024,
            committed / 1024,
            (long) value(header, fields, "YGC"),
            (long) value(header, fields, "FGC"));
    synchronized (samples) {
      samples.add(sample);
    }
  }

  private static double value(List<String> header, List<String> fields, String column) {
    return Double.parseDouble(fields.get(header.indexOf(column)));
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The samples summed up: used (min, median, max), old generation at start, end and max. */
  static Map<String, Object> summary(List<Sample> samples) {
    var map = new LinkedHashMap<String, Object>();
    map.put("samples", samples.size());
    if (samples.isEmpty()) {
      return map;
    }
    var used = new Samples();
    samples.forEach(s -> used.add(s.used()));
    var first = samples.get(0);
    var last = samples.get(samples.size() - 1);
    double oldMax = samples.stream().mapToDouble(Sample::old).max().orElseThrow();
    double committedMax = samples.stream().mapToDouble(Sample::committed).max().orElseThrow();
    map.put("heap_used_min_mb", Figure.round(used.min()));
    map.put("heap_used_median_mb", Figure.round(used.median()));
    map.put("heap_used_max_mb", Figure.round(used.max()));
    map.put("old_gen_start_mb", Figure.round(first.old()));
    map.put("old_gen_end_mb", Figure.round(last.old()));
    map.put("old_gen_max_mb", Figure.round(oldMax));
    map.put("heap_committed_start_mb", Figure.round(first.committed()));
    map.put("heap_committed_max_mb", Figure.round(committedMax));
    map.put("young_gcs", last.youngGcs() - first.youngGcs());
    map.put("full_gcs", last.fullGcs() - first.fullGcs());
    return map;
  }

  @Override
  public void close() throws InterruptedException {
    jstat.destroy();
    reader.join(5_000);
  }
}
