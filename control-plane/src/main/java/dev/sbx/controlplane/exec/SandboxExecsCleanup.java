package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.sandbox.SandboxDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Drops the events and exec records of a sandbox that is gone. */
@Component
class SandboxExecsCleanup {

  private final EventLogs eventLogs;
  private final ExecRegistry registry;
  private final ExecIngest ingest;

  SandboxExecsCleanup(EventLogs eventLogs, ExecRegistry registry, ExecIngest ingest) {
    this.eventLogs = eventLogs;
    this.registry = registry;
    this.ingest = ingest;
  }

  @EventListener
  void sandboxDeleted(SandboxDeleted deleted) {
    eventLogs.remove(deleted.sandboxId());
    registry.removeSandbox(deleted.sandboxId());
    ingest.forget(deleted.sandboxId());
  }
}
