package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.testing.Specs;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The whole story on a real API server (k3s in Docker), as the in-cluster control plane lives it:
 * deploy/kind's namespaces, RBAC and admission policy applied, and the runtime acting as the
 * ServiceAccount sbx-system/sbx-control-plane (impersonated), so a missing permission or an
 * admission refusal fails here. Leadership held across renewals, a warm pool filled, claimed and
 * refilled, a cold create, an exec, a delete, idle reaping. Runs with {@code make it}; skips itself
 * where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sClusterStoryIT {

  private static final String ACCOUNT = "system:serviceaccount:sbx-system:sbx-control-plane";

  /** SANDBOX_WARM_CONTROL_NAMESPACE's default, where the leader Lease lives. */
  private static final String CONTROL_NAMESPACE = "sbx-warm-control";

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  @Test
  void theControlPlaneShouldLeadFillClaimRefillExecAndDeleteWithItsOwnRbac() throws Exception {
    var kubeconfig = Config.fromKubeconfig(K3S.getKubeConfigYaml());
    try (var admin = new KubernetesClientBuilder().withConfig(kubeconfig).build()) {
      for (var manifest : List.of("namespace.yaml", "rbac.yaml", "admission-policy.yaml")) {
        apply(admin, Path.of("../deploy/kind", manifest));
      }
    }
    var asServiceAccount =
        new ConfigBuilder(kubeconfig)
            .withImpersonateUsername(ACCOUNT)
            .withImpersonateGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:sbx-system",
                "system:authenticated")
            .build();
    try (var client = new KubernetesClientBuilder().withConfig(asServiceAccount).build()) {
      var runtime =
          TestRuntimes.open(
              Templates.config(
                  "SANDBOX_WARM_POOL_SIZE", "1",
                  "SANDBOX_IDLE_TTL", "60s",
                  "SANDBOX_EXEC_READY_TIMEOUT", "180s",
                  "SANDBOX_CREATE_READY_TIMEOUT", "180s"),
              client);
      try {
        await().atMost(Duration.ofMinutes(1)).until(runtime::leading);
        await().atMost(Duration.ofMinutes(3)).until(() -> runtime.pool().ready() == 1);
        // Renewals go through (the Role grants what fabric8 sends: a merge PATCH): the Lease's
        // renewTime moves on three times, each within a lease term (3 s, TestRuntimes), and
        // this replica still leads.
        var renewals = new HashSet<String>();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  renewals.add(renewTime(kubeconfig));
                  return renewals.size() > 3;
                });
        assertThat(runtime.leading()).as("still leading after renewals").isTrue();

        var warm = runtime.create(Specs.unnamed());
        assertThat(warm.launchType()).isEqualTo(LaunchType.WARM);
        assertThat(warm.ready()).isTrue();
        assertThat(runtime.delete(warm.id())).isTrue();
        await().atMost(Duration.ofMinutes(3)).until(() -> runtime.pool().ready() == 1);

        runtime.create(Templates.spec("sbx-cold"));
        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> runtime.find("sbx-cold").map(SandboxInfo::ready).orElse(false));
        var recording = new KubernetesRuntimeTest.Recording();
        runtime.exec(
            "sbx-cold",
            new ExecSpec(
                "0000000000000001",
                List.of("sh", "-c", "echo $HOME; touch $HOME/.probe && echo writable"),
                Map.of(),
                "/workspace",
                null),
            recording);
        assertThat(recording.outcome.get(60, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(0));
        assertThat(recording.stdout()).isEqualTo("/home/sbx\nwritable\n");

        assertThat(runtime.delete("sbx-cold")).isTrue();
        await().atMost(Duration.ofMinutes(1)).until(() -> runtime.find("sbx-cold").isEmpty());

        // Reaping: a sandbox nobody uses is deleted once idle for the TTL; the pool's stays.
        runtime.create(Templates.spec("sbx-idle"));
        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> runtime.find("sbx-idle").map(SandboxInfo::ready).orElse(false));
        await().atMost(Duration.ofMinutes(2)).until(() -> runtime.find("sbx-idle").isEmpty());
        assertThat(runtime.pool().ready()).as("the warm sandbox is not reaped").isEqualTo(1);
      } finally {
        runtime.close();
      }
    }
  }

  /** The leader Lease's renewTime, read as the cluster's admin. */
  private static String renewTime(Config kubeconfig) {
    try (var admin = new KubernetesClientBuilder().withConfig(kubeconfig).build()) {
      var lease = admin.leases().inNamespace(CONTROL_NAMESPACE).withName(Leadership.LEASE).get();
      return lease == null ? "" : String.valueOf(lease.getSpec().getRenewTime());
    }
  }

  private static void apply(KubernetesClient admin, Path manifest) throws Exception {
    try (var in = new FileInputStream(manifest.toFile())) {
      admin.load(in).serverSideApply();
    }
  }
}
