package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.Resources;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What every local sandbox shares: how to build its bwrap command, the thread that starts it, the
 * watcher that streams its output, who hears of protocol violations, and where its cgroup goes.
 *
 * @param command builds a sandbox's bwrap command line
 * @param launcher starts processes from a thread that outlives requests
 * @param watcher reports new output in exec folders
 * @param violations hears of each sandbox that broke the protocol of its control channel
 * @param cgroups where sandboxes' cgroups are made, and the limits none enforces
 * @param uids the host uids sandboxes run as, one each, when the control plane runs as root; null
 *     when they run as the control plane's user
 * @param disks sandboxes' own file systems, or null when this machine cannot have them
 * @param disksUnavailable why there are none, when there are none
 */
record LocalSandboxContext(
    BwrapCommand command,
    Launcher launcher,
    OutputWatcher watcher,
    ProtocolViolations violations,
    CgroupTree cgroups,
    @Nullable HostUids uids,
    @Nullable SandboxDisks disks,
    @Nullable String disksUnavailable) {

  /** Every limit this machine does not enforce for local sandboxes, with why. */
  Map<String, String> unenforced() {
    var unenforced = new TreeMap<>(cgroups.unenforced());
    if (disks == null) {
      unenforced.put(Resources.DISK, disksUnavailable);
    }
    return Map.copyOf(unenforced);
  }
}
