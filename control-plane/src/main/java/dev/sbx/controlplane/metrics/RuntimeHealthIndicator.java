package dev.sbx.controlplane.metrics;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the sandbox runtime: locally, bwrap present and the state folder writable; on
 * Kubernetes, the API server answering and the watches in sync. Part of {@code
 * /actuator/health/readiness}, not of liveness: a restart would not fix either. It also names the
 * sandbox limits this machine cannot enforce.
 */
@Component("runtime")
class RuntimeHealthIndicator implements HealthIndicator {

  private final SandboxRuntime runtime;

  RuntimeHealthIndicator(SandboxRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Health health() {
    var problem = runtime.unavailableBecause();
    var health = problem == null ? Health.up() : Health.down().withDetail("reason", problem);
    var unenforced = runtime.unenforcedLimits();
    if (!unenforced.isEmpty()) {
      // Sandboxes still run, so readiness stays up; but whoever looks is told, never silently.
      health.withDetail("unenforced_limits", unenforced);
    }
    return health.withDetail("runtime", runtime.name()).build();
  }
}
