package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.peers.Ownership;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * At start-up, asks the runtime once for the execs that were running when the control plane last
 * stopped, and records them as lost. On Kubernetes that means a pod exec into every ready sandbox,
 * which is why it is a start step, not a constructor's side effect; it runs before the web server
 * starts, so no request sees such an exec as unknown.
 */
@Component
class InterruptedExecsRecovery implements SmartLifecycle {

  /** Before the web server (Boot starts it at {@code DEFAULT_PHASE - 2048}). */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger logger = LoggerFactory.getLogger(InterruptedExecsRecovery.class);

  private final SandboxRuntime runtime;
  private final Ownership ownership;
  private final ExecRegistry registry;
  private final EventLogs eventLogs;
  private volatile boolean running;

  InterruptedExecsRecovery(
      SandboxRuntime runtime, Ownership ownership, ExecRegistry registry, EventLogs eventLogs) {
    this.runtime = runtime;
    this.ownership = ownership;
    this.registry = registry;
    this.eventLogs = eventLogs;
  }

  @Override
  public void start() {
    // With other replicas running, the execs marked in their sandboxes are theirs, alive: only a
    // replica that starts alone (the first, or all after a full restart) finds orphans this way;
    // the others take them over when a replica goes (ExecTakeover).
    var interrupted = ownership.alone() ? runtime.interruptedExecs() : List.<InterruptedExec>of();
    eventLogs.restore(
        registry,
        runtime::exists,
        interrupted.stream().map(InterruptedExec::execId).collect(Collectors.toSet()));
    registry.recover(interrupted, eventLogs);
    if (!interrupted.isEmpty()) {
      logger.info("{} execs were running when the control plane stopped: lost", interrupted.size());
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
