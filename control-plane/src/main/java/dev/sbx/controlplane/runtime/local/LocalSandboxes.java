package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.Resources;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every local sandbox shares: how to build its bwrap command, the thread that starts it, the
 * watcher that streams its output, who hears of protocol violations, and where its cgroup goes.
 *
 * @param command builds a sandbox's bwrap command line
 * @param launcher starts processes from a thread that outlives requests
 * @param watcher reports new output in exec folders
 * @param violations hears of each sandbox that broke the protocol of its control channel
 * @param cgroups where sandboxes' cgroups are made, and the limits none enforces
 */
record LocalSandboxes(
    BwrapCommand command,
    Launcher launcher,
    OutputWatcher watcher,
    ProtocolViolations violations,
    CgroupTree cgroups) {

  /** Every limit this machine does not enforce for local sandboxes, with why. */
  Map<String, String> unenforced() {
    var unenforced = new TreeMap<>(cgroups.unenforced());
    unenforced.put(Resources.DISK, "not enforced by the local runtime yet");
    return Map.copyOf(unenforced);
  }
}
