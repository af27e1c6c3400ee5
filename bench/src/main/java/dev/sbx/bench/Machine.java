package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine the suite ran on: CPU, cores, memory, kernel, JDK, tools. */
final class Machine {

  private Machine() {}

  static Map<String, Object> describe(Jvm controlPlane) {
    var map = new LinkedHashMap<String, Object>();
    var cpuinfo = read("/proc/cpuinfo");
    map.put("cpu_model", field(cpuinfo, "model name"));
    map.put("cores", Runtime.getRuntime().availableProcessors());
    map.put("memory_mb", kb(read("/proc/meminfo"), "MemTotal:") / 1024);
    map.put("kernel", read("/proc/sys/kernel/osrelease").trim());
    map.put("os", field(read("/etc/os-release"), "PRETTY_NAME").replace("\"", ""));
    map.put(
        "jdk",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    try {
      map.put("control_plane_jvm", controlPlane.vmVersion());
    } catch (IOException e) {
      map.put("control_plane_jvm", "unknown: " + e.getMessage());
    }
    map.put("bwrap", version(List.of("bwrap", "--version")));
    map.put("hyperfine", version(List.of("hyperfine", "--version")));
    map.put("user", isRoot() ? "root" : System.getProperty("user.name"));
    map.put("load_average_at_start", read("/proc/loadavg").trim());
    return map;
  }

  static boolean isRoot() {
    for (var line : read("/proc/self/status").split("\n")) {
      if (line.startsWith("Uid:")) {
        return line.split("\\s+")[1].equals("0");
      }
    }
    return false;
  }

  static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }

  private static String field(String text, String name) {
    for (var line : text.split("\n")) {
      if (line.startsWith(name)) {
        return line.substring(line.indexOf(line.contains(":") ? ':' : '=') + 1).trim();
      }
    }
    return "unknown";
  }

  private static long kb(String text, String name) {
    for (var line : text.split("\n")) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  private static String version(List<String> command) {
    try {
      return Jvm.run(command).lines().findFirst().orElse("").trim();
    } catch (IOException e) {
      return "not installed";
    }
  }
}
