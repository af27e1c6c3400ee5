package dev.sbx.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads /proc/PID/stat and /proc/PID/cmdline. */
final class ProcStat {

  private ProcStat() {}

  /** utime + stime of the process, in clock ticks; -1 when it is gone. */
  static long cpuTicks(long pid) {
    try {
      var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: count fields after the last
      // ')'.
      var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The command line with NULs turned into spaces; empty when unreadable. */
  static String cmdline(long pid) {
    try {
      var bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** CPU ticks of every process now. */
  static Map<Long, Long> snapshot() {
    var ticks = new HashMap<Long, Long>();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              long t = cpuTicks(p.pid());
              if (t >= 0) {
                ticks.put(p.pid(), t);
              }
            });
    return ticks;
  }
}
