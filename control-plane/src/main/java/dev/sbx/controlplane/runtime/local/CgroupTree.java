package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup folder under which this control plane makes one cgroup per sandbox, for each
 * controller it can use, and the limits it cannot enforce for want of one.
 *
 * <p>Which folder: the one named by {@code SANDBOX_CGROUP_ROOT} (relative to each hierarchy's
 * root), else this process's own cgroup, as long as this user may write it: root always, an
 * ordinary user where the cgroup was delegated to it (systemd's {@code Delegate=yes}, or an
 * administrator's {@code chown}). Under it, a folder per state folder ({@code sbx-<hash>}), so that
 * two control planes never mix their sandboxes, and in that a folder per sandbox.
 *
 * @param v2 whether the cgroups are of the unified hierarchy (v2) rather than one per controller
 * @param bases each usable controller's {@code sbx-<hash>} folder
 * @param unenforced each limit (API name) no usable controller enforces, with why
 */
record CgroupTree(boolean v2, Map<String, Path> bases, Map<String, String> unenforced) {

  private static final Logger logger = LoggerFactory.getLogger(CgroupTree.class);

  private static final Map<String, String> LIMIT_CONTROLLERS =
      Map.of(Resources.CPU, "cpu", Resources.MEMORY, "memory", Resources.PIDS, "pids");

  /** The controllers v2 must enable for sandboxes. */
  private static final List<String> V2_CONTROLLERS = List.of("memory", "pids", "cpu");

  /** The folder v2 moves this process to, since a cgroup with processes cannot delegate. */
  static final String CONTROL_PLANE_LEAF = "sbx-control-plane";

  /**
   * Finds and prepares the folder, or says for each limit why it cannot be enforced.
   *
   * @param configuredRoot {@code SANDBOX_CGROUP_ROOT}, or null for this process's own cgroup
   * @param instance the name of this control plane's folder ({@code sbx-<hash>})
   */
  static CgroupTree open(CgroupMounts mounts, @Nullable String configuredRoot, String instance) {
    if (mounts.v1().keySet().stream().anyMatch(c -> !c.equals("cpuacct"))) {
      return openV1(mounts, configuredRoot, instance);
    }
    if (mounts.v2() != null) {
      return openV2(mounts.v2(), configuredRoot, instance);
    }
    return none("this machine mounts no cgroup hierarchy with the memory, pids or cpu controller");
  }

  static CgroupTree none(String why) {
    var unenforced = new TreeMap<String, String>();
    LIMIT_CONTROLLERS.keySet().forEach(limit -> unenforced.put(limit, why));
    return new CgroupTree(false, Map.of(), unenforced);
  }

  /** Makes (or finds again) a sandbox's cgroup and writes its limits. */
  SandboxCgroup create(String sandboxId, Resources limits) throws IOException {
    var dirs = new LinkedHashMap<String, Path>();
    for (var entry : bases.entrySet()) {
      var dir = entry.getValue().resolve(sandboxId);
      Files.createDirectories(dir);
      dirs.put(entry.getKey(), dir);
    }
    var cgroup = new SandboxCgroup(v2, Map.copyOf(dirs));
    cgroup.apply(limits);
    return cgroup;
  }

  /** Removes the cgroups of sandboxes that no longer exist (a crash can leave them behind). */
  void removeAllBut(Set<String> sandboxIds) {
    for (var base : new LinkedHashSet<>(bases.values())) {
      try (Stream<Path> dirs = Files.list(base)) {
        dirs.filter(Files::isDirectory)
            .filter(dir -> dir.getFileName().toString().startsWith("sbx-"))
            .filter(dir -> !sandboxIds.contains(dir.getFileName().toString()))
            .forEach(
                dir -> {
                  try {
                    Files.deleteIfExists(dir);
                  } catch (IOException e) {
                    logger.debug("left cgroup {}: {}", dir, e.toString());
                  }
                });
      } catch (IOException e) {
        // nothing to clean
      }
    }
  }

  /** Removes this control plane's folders, once every sandbox's cgroup is gone. */
  void removeBases() {
    for (var base : new LinkedHashSet<>(bases.values())) {
      try {
        Files.deleteIfExists(base);
      } catch (IOException e) {
        logger.debug("left cgroup {}: {}", base, e.toString());
      }
    }
  }

  private static CgroupTree openV1(CgroupMounts mounts, @Nullable String root, String instance) {
    var bases = new LinkedHashMap<String, Path>();
    var problems = new TreeMap<String, String>();
    for (var controller : CgroupMounts.CONTROLLERS) {
      var hierarchy = mounts.v1().get(controller);
      if (hierarchy == null) {
        problems.put(controller, "cgroup v1 has no " + controller + " controller mounted");
        continue;
      }
      var parent = root != null ? hierarchy.dir(root) : hierarchy.ownDir();
      var problem = usable(parent, root);
      if (problem != null) {
        problems.put(controller, problem);
        continue;
      }
      try {
        var base = Files.createDirectories(parent.resolve(instance));
        if (controller.equals("cpu")) {
          weigh(base, "cpu.shares", "512");
        }
        bases.put(controller, base);
      } catch (IOException e) {
        problems.put(controller, "cannot make a cgroup in " + parent + ": " + e.getMessage());
      }
    }
    return new CgroupTree(false, Map.copyOf(bases), unenforced(bases.keySet(), problems));
  }

  private static CgroupTree openV2(
      CgroupMounts.Hierarchy hierarchy, @Nullable String root, String instance) {
    var parent = root != null ? hierarchy.dir(root) : hierarchy.ownDir();
    var problem = usable(parent, root);
    if (problem == null && !Files.isWritable(parent.resolve("cgroup.subtree_control"))) {
      problem = "cannot write " + parent.resolve("cgroup.subtree_control");
    }
    if (problem != null) {
      return none(problem);
    }
    try {
      var available =
          List.of(Files.readString(parent.resolve("cgroup.controllers")).trim().split(" "));
      var wanted = V2_CONTROLLERS.stream().filter(available::contains).toList();
      if (wanted.isEmpty()) {
        return none("the cgroup " + parent + " has none of the memory, pids and cpu controllers");
      }
      if (root == null && !parent.equals(hierarchy.mountPoint())) {
        leaveForLeaf(parent);
      }
      enable(parent, wanted);
      var base = Files.createDirectories(parent.resolve(instance));
      enable(base, wanted);
      if (wanted.contains("cpu")) {
        weigh(base, "cpu.weight", "50");
      }
      var bases = new LinkedHashMap<String, Path>();
      wanted.forEach(controller -> bases.put(controller, base));
      var problems = new TreeMap<String, String>();
      V2_CONTROLLERS.stream()
          .filter(c -> !wanted.contains(c))
          .forEach(c -> problems.put(c, "the cgroup " + parent + " has no " + c + " controller"));
      return new CgroupTree(true, Map.copyOf(bases), unenforced(bases.keySet(), problems));
    } catch (IOException e) {
      return none("cannot prepare the cgroup " + parent + ": " + e.getMessage());
    }
  }

  /**
   * On v2 a cgroup that holds processes cannot hand controllers to its children: move every process
   * of ours (this JVM, and whatever started it in the same cgroup) into a leaf beside the
   * sandboxes', as container runtimes do with their init.
   */
  private static void leaveForLeaf(Path parent) throws IOException {
    var procs = Files.readAllLines(parent.resolve("cgroup.procs"));
    if (procs.isEmpty()) {
      return;
    }
    var leaf = Files.createDirectories(parent.resolve(CONTROL_PLANE_LEAF));
    for (var pid : procs) {
      try {
        SandboxCgroup.write(leaf, "cgroup.procs", pid.trim());
      } catch (IOException e) {
        // it ended meanwhile, or is not ours to move; enabling the controllers says which
      }
    }
  }

  /**
   * All sandboxes together weigh half of what a process of the control plane's cgroup does, so that
   * the control plane gets the CPU it asks for however many sandboxes spin (each is capped by its
   * own limit besides).
   */
  private static void weigh(Path base, String file, String value) {
    try {
      SandboxCgroup.write(base, file, value);
    } catch (IOException e) {
      logger.debug("cannot set {} of {}: {}", file, base, e.toString());
    }
  }

  private static void enable(Path dir, List<String> controllers) throws IOException {
    var control = dir.resolve("cgroup.subtree_control");
    var enabled =
        List.of(
            Files.exists(control) ? Files.readString(control).trim().split(" ") : new String[0]);
    var missing = controllers.stream().filter(c -> !enabled.contains(c)).toList();
    if (!missing.isEmpty()) {
      SandboxCgroup.write(
          dir,
          "cgroup.subtree_control",
          String.join(" ", missing.stream().map(c -> "+" + c).toList()));
    }
  }

  private static @Nullable String usable(Path parent, @Nullable String root) {
    if (!Files.isDirectory(parent)) {
      return root != null
          ? "SANDBOX_CGROUP_ROOT=" + root + ": " + parent + " does not exist"
          : parent + " does not exist";
    }
    if (!Files.isWritable(parent) || !Files.isWritable(parent.resolve("cgroup.procs"))) {
      return "this user may not make cgroups in "
          + parent
          + (root != null
              ? " (SANDBOX_CGROUP_ROOT); delegate it (chown -R) to this user"
              : "; run the control plane in a cgroup delegated to it (systemd-run --user --scope"
                  + " -p Delegate=yes ...) or name one with SANDBOX_CGROUP_ROOT");
    }
    return null;
  }

  private static Map<String, String> unenforced(Set<String> usable, Map<String, String> problems) {
    var unenforced = new TreeMap<String, String>();
    LIMIT_CONTROLLERS.forEach(
        (limit, controller) -> {
          if (!usable.contains(controller)) {
            unenforced.put(
                limit, problems.getOrDefault(controller, "no " + controller + " cgroup"));
          }
        });
    return Map.copyOf(unenforced);
  }
}
