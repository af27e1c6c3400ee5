package dev.sbx.controlplane.metrics;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the sandbox runtime: locally, bwrap present and the state folder writable; on
 * Kubernetes, the API server answering and the watches in sync. Part of {@code
 * /actuator/health/readiness}, not of liveness: a restart would not fix either.
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
    return health.withDetail("runtime", runtime.name()).build();
  }
}
