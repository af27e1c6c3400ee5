package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ResourceUsage;
import dev.sbx.controlplane.runtime.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One sandbox's cgroup: a folder per controller on cgroup v1, one folder on v2. Every process of
 * the sandbox runs in it from its first instruction (the launch command joins it before bwrap
 * forks), so the limits hold for all of them, and what they use is counted there.
 *
 * @param v2 whether the folders are of the unified hierarchy
 * @param dirs the folder that holds each controller's files (memory, pids, cpu, cpuacct)
 */
record SandboxCgroup(boolean v2, Map<String, Path> dirs) {

  private static final long CPU_PERIOD_MICROS = 100_000;

  /** The {@code cgroup.procs} file of each folder, which the sandbox's first process joins. */
  List<Path> procsFiles() {
    var folders = new LinkedHashSet<>(dirs.values());
    return folders.stream().map(dir -> dir.resolve("cgroup.procs")).toList();
  }

  /** Writes the limits; a limit left open is "max". */
  void apply(Resources limits) throws IOException {
    var memory = dirs.get("memory");
    if (memory != null) {
      var bytes = limits.memoryBytes();
      if (v2) {
        write(memory, "memory.max", bytes == null ? "max" : String.valueOf(bytes));
        // Swap would let a sandbox hold more than its limit, and slowly: none.
        writeIfPresent(memory, "memory.swap.max", "0");
      } else {
        var value = bytes == null ? "-1" : String.valueOf(bytes);
        // memsw (memory plus swap) must stay at or above the memory limit: raise it first when
        // growing, lower it last when shrinking; setting both to the same value means no swap.
        writeIfPresent(memory, "memory.memsw.limit_in_bytes", "-1");
        write(memory, "memory.limit_in_bytes", value);
        writeIfPresent(memory, "memory.memsw.limit_in_bytes", value);
      }
    }
    var pids = dirs.get("pids");
    if (pids != null) {
      write(pids, "pids.max", limits.pids() == null ? "max" : String.valueOf(limits.pids()));
    }
    var cpu = dirs.get("cpu");
    if (cpu != null) {
      var millis = limits.cpuMillis();
      var quota = millis == null ? null : millis * CPU_PERIOD_MICROS / 1000;
      if (v2) {
        write(cpu, "cpu.max", (quota == null ? "max" : quota) + " " + CPU_PERIOD_MICROS);
      } else {
        write(cpu, "cpu.cfs_period_us", String.valueOf(CPU_PERIOD_MICROS));
        write(cpu, "cpu.cfs_quota_us", quota == null ? "-1" : String.valueOf(quota));
      }
    }
  }

  /** What the sandbox uses now; a figure that cannot be read is null. */
  ResourceUsage usage(@Nullable Long diskBytes) {
    Long memory = number(dirs.get("memory"), v2 ? "memory.current" : "memory.usage_in_bytes");
    Long pids = number(dirs.get("pids"), "pids.current");
    Double cpuSeconds;
    if (v2) {
      var micros = field(dirs.get("cpu"), "cpu.stat", "usage_usec");
      cpuSeconds = micros == null ? null : micros / 1e6;
    } else {
      var nanos = number(dirs.get("cpuacct"), "cpuacct.usage");
      cpuSeconds = nanos == null ? null : nanos / 1e9;
    }
    return new ResourceUsage(memory, cpuSeconds, pids, diskBytes);
  }

  /** How many processes the kernel's OOM killer has ended in the sandbox so far. */
  long oomKills() {
    var kills = field(dirs.get("memory"), v2 ? "memory.events" : "memory.oom_control", "oom_kill");
    return kills == null ? 0 : kills;
  }

  /**
   * Removes the folders; their processes must be gone. A process killed a moment ago may still be
   * leaving, so each removal is tried a few times.
   */
  void remove() {
    for (var dir : new LinkedHashSet<>(dirs.values())) {
      for (int attempt = 0; attempt < 50; attempt++) {
        try {
          Files.deleteIfExists(dir);
          break;
        } catch (IOException e) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  static void write(Path dir, String file, String value) throws IOException {
    Files.writeString(dir.resolve(file), value);
  }

  private static void writeIfPresent(Path dir, String file, String value) throws IOException {
    try {
      if (Files.exists(dir.resolve(file))) {
        write(dir, file, value);
      }
    } catch (NoSuchFileException e) {
      // not compiled into this kernel
    }
  }

  private static @Nullable Long number(@Nullable Path dir, String file) {
    if (dir == null) {
      return null;
    }
    try {
      return Long.parseLong(Files.readString(dir.resolve(file)).trim());
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** The value of {@code key} in a file of {@code key value} lines. */
  private static @Nullable Long field(@Nullable Path dir, String file, String key) {
    if (dir == null) {
      return null;
    }
    try {
      for (var line : Files.readAllLines(dir.resolve(file), StandardCharsets.US_ASCII)) {
        var parts = line.split(" ");
        if (parts.length == 2 && parts[0].equals(key)) {
          return Long.parseLong(parts[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone with the sandbox
    }
    return null;
  }
}
