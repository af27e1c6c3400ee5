package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where this machine mounts the cgroup controllers sandboxes need and which cgroup of each this
 * process is in, read from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. Both layouts
 * occur: cgroup v1 (a hierarchy per controller, as on this project's CI machines, often with v2
 * mounted beside them with no controllers) and v2 (one hierarchy, as systemd sets up laptops).
 *
 * @param v1 for each v1 controller (memory, pids, cpu, cpuacct), where its hierarchy is mounted and
 *     this process's cgroup in it
 * @param v2 the v2 hierarchy, when one is mounted
 */
record CgroupMounts(Map<String, Hierarchy> v1, @Nullable Hierarchy v2) {

  /** The controllers sandboxes use; cpuacct only on v1, where CPU usage is counted apart. */
  static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu", "cpuacct");

  /**
   * One mounted hierarchy.
   *
   * @param mountPoint where it is mounted, e.g. {@code /sys/fs/cgroup/memory}
   * @param own this process's cgroup, relative to the hierarchy's root
   */
  record Hierarchy(Path mountPoint, String own) {

    /** The folder of a cgroup given relative to the hierarchy's root. */
    Path dir(String relative) {
      var trimmed = relative.replaceAll("^/+", "");
      return trimmed.isEmpty() ? mountPoint : mountPoint.resolve(trimmed);
    }

    Path ownDir() {
      return dir(own);
    }
  }

  static CgroupMounts read() {
    try {
      return parse(
          Files.readAllLines(Path.of("/proc/self/mountinfo")),
          Files.readAllLines(Path.of("/proc/self/cgroup")));
    } catch (IOException e) {
      return new CgroupMounts(Map.of(), null);
    }
  }

  static CgroupMounts parse(List<String> mountinfo, List<String> cgroup) {
    var own = new HashMap<String, String>();
    String ownV2 = null;
    for (var line : cgroup) {
      var parts = line.split(":", 3);
      if (parts.length != 3) {
        continue;
      }
      if (parts[0].equals("0") && parts[1].isEmpty()) {
        ownV2 = parts[2];
      }
      for (var controller : parts[1].split(",")) {
        own.put(controller, parts[2]);
      }
    }
    var v1 = new HashMap<String, Hierarchy>();
    Hierarchy v2 = null;
    for (var line : mountinfo) {
      // id parent major:minor root mount-point options [optional fields] - type source super
      var dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      var fields = line.substring(0, dash).split(" ");
      var tail = line.substring(dash + 3).split(" ");
      if (fields.length < 5 || tail.length < 3) {
        continue;
      }
      var mountPoint = Path.of(unescape(fields[4]));
      if (tail[0].equals("cgroup2") && ownV2 != null && v2 == null) {
        v2 = new Hierarchy(mountPoint, ownV2);
      } else if (tail[0].equals("cgroup")) {
        for (var option : tail[2].split(",")) {
          if (CONTROLLERS.contains(option) && own.containsKey(option)) {
            v1.putIfAbsent(option, new Hierarchy(mountPoint, own.get(option)));
          }
        }
      }
    }
    return new CgroupMounts(Map.copyOf(v1), v2);
  }

  /** mountinfo writes spaces and the like as octal escapes ({@code \040}). */
  private static String unescape(String field) {
    var out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
