package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.sandbox.SandboxIds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Opens and starts Kubernetes runtimes on a test's client, as the application context would, with
 * the ids the application would give them and a lease that changes hands in a fraction of a second.
 */
final class TestRuntimes {

  static final Leadership.Timings QUICK_LEASE =
      new Leadership.Timings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(250));

  private TestRuntimes() {}

  static KubernetesRuntime open(SandboxConfig config, KubernetesClient client) {
    return open(config, client, Clock.systemUTC());
  }

  static KubernetesRuntime open(SandboxConfig config, KubernetesClient client, Clock clock) {
    var runtime =
        KubernetesRuntimeFactory.open(
            Templates.settings(config), client, SandboxIds::generate, clock, QUICK_LEASE);
    runtime.start();
    return runtime;
  }
}
