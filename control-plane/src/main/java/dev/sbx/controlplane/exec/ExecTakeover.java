package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.peers.Ownership;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * When a replica goes away, the replica that now owns each of its sandboxes records the execs that
 * were running there as {@code lost} (reason {@value #REPLICA_LOST}): in control-plane stream mode
 * their output and their end went with the replica that read them, and a silent 0 or a 404 would
 * hide that. Found from the markers the exec wrapper leaves in the pod while a program runs. In
 * sidecar mode the sidecar reconnects instead and the exec goes on (its ingest is forwarded here),
 * so an exec already known here again is left alone.
 */
@Component
class ExecTakeover implements DisposableBean {

  static final String REPLICA_LOST = "control_plane_replica_lost";

  private static final Logger logger = LoggerFactory.getLogger(ExecTakeover.class);

  private final Ownership ownership;
  private final SandboxRuntime runtime;
  private final ExecRegistry registry;
  private final EventLogs eventLogs;
  // One at a time, off the informer's thread: a scan is a pod exec per sandbox.
  private final ExecutorService scans =
      Executors.newSingleThreadExecutor(
          r -> {
            var thread = new Thread(r, "sbx-takeover");
            thread.setDaemon(true);
            return thread;
          });

  ExecTakeover(
      Ownership ownership, SandboxRuntime runtime, ExecRegistry registry, EventLogs eventLogs) {
    this.ownership = ownership;
    this.runtime = runtime;
    this.registry = registry;
    this.eventLogs = eventLogs;
    ownership.onChange((before, after) -> scans.execute(() -> takeOver(before, after)));
  }

  private void takeOver(Set<String> before, Set<String> after) {
    var taken =
        runtime.list().stream()
            .map(SandboxInfo::id)
            .filter(id -> ownership.ownsLocally(id))
            .filter(id -> !after.contains(ownership.owner(before, id)))
            .toList();
    if (taken.isEmpty()) {
      return;
    }
    var orphaned = runtime.orphanedExecs(taken);
    registry.takeOver(orphaned, eventLogs, REPLICA_LOST);
    logger.info(
        "took over {} sandboxes from a replica that went away; {} execs of theirs lost",
        taken.size(),
        orphaned.size());
  }

  @Override
  public void destroy() {
    scans.shutdownNow();
  }
}
