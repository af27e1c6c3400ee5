package dev.sbx.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** What the control plane's JVM and process use, through jcmd and /proc. */
final class Jvm {

  /** G1 reports one heap; the serial and parallel collectors a line per generation. */
  private static final Pattern USED =
      Pattern.compile("(?:heap|generation)\\s+total (\\d+)K, used (\\d+)K");

  private static final Pattern NMT_TOTAL =
      Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
  private static final Pattern NMT_CATEGORY =
      Pattern.compile("-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB");

  private final long pid;

  Jvm(long pid) {
    this.pid = pid;
  }

  long pid() {
    return pid;
  }

  /** Heap used right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), in MB. */
  double heapAfterGcMb() throws IOException {
    jcmd("GC.run");
    return heapUsedMb();
  }

  /** Heap used as {@code jcmd GC.heap_info} reports it, in MB. */
  double heapUsedMb() throws IOException {
    var info = jcmd("GC.heap_info");
    var matcher = USED.matcher(info);
    long usedKb = 0;
    boolean found = false;
    while (matcher.find()) {
      usedKb += Long.parseLong(matcher.group(2));
      found = true;
    }
    if (!found) {
      throw new IOException("unexpected GC.heap_info output: " + info);
    }
    return usedKb / 1024.0;
  }

  /**
   * Committed memory by Native Memory Tracking category, in MB, largest first; empty unless the JVM
   * runs with {@code -XX:NativeMemoryTracking=summary} (dev/bench.sh starts it so).
   */
  Map<String, Object> nativeMemoryMb() throws IOException {
    var summary = jcmd("VM.native_memory", "summary", "scale=KB");
    var map = new LinkedHashMap<String, Object>();
    var total = NMT_TOTAL.matcher(summary);
    if (!total.find()) {
      return map;
    }
    map.put("Total", Figure.round(Long.parseLong(total.group(1)) / 1024.0));
    var categories = new ArrayList<Map.Entry<String, Double>>();
    var matcher = NMT_CATEGORY.matcher(summary);
    while (matcher.find()) {
      categories.add(Map.entry(matcher.group(1).trim(), Long.parseLong(matcher.group(2)) / 1024.0));
    }
    categories.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    for (var category : categories.subList(0, Math.min(8, categories.size()))) {
      map.put(category.getKey(), Figure.round(category.getValue()));
    }
    return map;
  }

  /** The SANDBOX_* and SERVER_* variables it was started with, from /proc/PID/environ. */
  Map<String, Object> settings() throws IOException {
    var map = new TreeMap<String, Object>();
    var environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
    for (var entry : environ.split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0 && (entry.startsWith("SANDBOX_") || entry.startsWith("SERVER_"))) {
        map.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return map;
  }

  /** The JVM options it was started with (what comes before -jar), from /proc/PID/cmdline. */
  String jvmFlags() throws IOException {
    var args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0");
    var flags = new StringBuilder();
    for (int i = 1; i < args.length && !args[i].equals("-jar"); i++) {
      flags.append(flags.isEmpty() ? "" : " ").append(args[i]);
    }
    return flags.toString();
  }

  /** VmRSS from /proc/PID/status, in MB. */
  double rssMb() throws IOException {
    return statusKb("VmRSS:") / 1024.0;
  }

  long threads() throws IOException {
    return statusKb("Threads:");
  }

  long openFiles() throws IOException {
    try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return files.count();
    }
  }

  /** User plus system CPU time of the process so far, in ms (clock ticks of 10 ms). */
  double cpuMillis() throws IOException {
    return ProcStat.cpuTicks(pid) * 10.0;
  }

  String vmVersion() throws IOException {
    var lines = jcmd("VM.version").lines().skip(1).toList();
    return String.join("; ", lines).trim();
  }

  String jcmd(String... command) throws IOException {
    var args = new ArrayList<String>(List.of("jcmd", Long.toString(pid)));
    args.addAll(List.of(command));
    return run(args);
  }

  static String run(List<String> command) throws IOException {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return output;
  }

  private long statusKb(String field) throws IOException {
    for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(field + " not in /proc/" + pid + "/status");
  }
}
