package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds, from the host, every process an exec started in a sandbox: those that still carry its
 * {@code SBX_EXEC_ID} and their descendants, in the sandbox's pid namespace only. Process groups
 * are not enough, since {@code setsid} and {@code nohup} children leave them.
 */
final class ExecProcesses {

  private static final Path PROC = Path.of("/proc");

  private ExecProcesses() {}

  /** Host pids of the exec's processes, now. */
  static Set<Long> find(ProcessHandle namespaceInit, String execId) {
    var namespace = pidNamespace(namespaceInit.pid());
    if (namespace == null) {
      return Set.of();
    }
    var marker = (ExecSpec.EXEC_ID_VARIABLE + "=" + execId).getBytes(StandardCharsets.UTF_8);
    var marked = new HashSet<Long>();
    Map<Long, List<Long>> children = new HashMap<>();
    try (Stream<Path> entries = Files.list(PROC)) {
      for (var entry : (Iterable<Path>) entries::iterator) {
        var pid = parsePid(entry.getFileName().toString());
        if (pid < 0 || !namespace.equals(pidNamespace(pid))) {
          continue;
        }
        long parent = parentOf(pid);
        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(pid);
        if (hasMarker(pid, marker)) {
          marked.add(pid);
        }
      }
    } catch (IOException e) {
      return Set.of();
    }
    // A descendant that cleared its environment is still the exec's.
    var all = new HashSet<>(marked);
    var queue = new ArrayDeque<>(marked);
    while (!queue.isEmpty()) {
      for (var child : children.getOrDefault(queue.poll(), List.of())) {
        if (all.add(child)) {
          queue.add(child);
        }
      }
    }
    return all;
  }

  private static long parsePid(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return -1;
      }
    }
    return name.isEmpty() ? -1 : Long.parseLong(name);
  }

  private static String pidNamespace(long pid) {
    try {
      return Files.readSymbolicLink(PROC.resolve(pid + "/ns/pid")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null; // gone, or not ours to look at
    }
  }

  private static long parentOf(long pid) {
    try {
      var stat = Files.readString(PROC.resolve(pid + "/stat"));
      // The command name in parentheses may hold spaces and parentheses; fields follow the last.
      var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static boolean hasMarker(long pid, byte[] marker) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(PROC.resolve(pid + "/environ"));
    } catch (IOException e) {
      return false;
    }
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == marker.length
            && Arrays.equals(environ, start, i, marker, 0, marker.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
