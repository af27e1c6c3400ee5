package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.SandboxInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kubernetes runtime against a real cluster (k3s in Docker): create, exec, timeout, delete.
 * Runs with {@code make it}; skips itself where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sSandboxIT {

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  @Test
  void sandboxShouldRunCommandsForRealAndGoAwayWhenDeleted() throws Exception {
    var client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build();
    var runtime = TestRuntimes.open(Templates.config("SANDBOX_EXEC_READY_TIMEOUT", "180s"), client);
    try {
      runtime.create(Templates.spec("sbx-k3s"));
      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> runtime.find("sbx-k3s").map(SandboxInfo::ready).orElse(false));

      var recording = new KubernetesRuntimeTest.Recording();
      runtime.exec(
          "sbx-k3s",
          new ExecSpec(
              "0000000000000001",
              List.of("sh", "-c", "echo out; echo err >&2; id -u; pwd; exit 3"),
              Map.of("FOO", "bar"),
              "/workspace",
              null),
          recording);
      assertThat(recording.outcome.get(60, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(3));
      assertThat(recording.stdout()).isEqualTo("out\n1000\n/workspace\n");
      assertThat(recording.stderr()).isEqualTo("err\n");

      var runaway = new KubernetesRuntimeTest.Recording();
      runtime.exec(
          "sbx-k3s",
          new ExecSpec(
              "0000000000000002",
              List.of("sh", "-c", "trap '' TERM; (setsid sleep 1000 &); sleep 1000"),
              Map.of(),
              "/workspace",
              null),
          runaway);
      runtime.terminate("sbx-k3s", "0000000000000002", Duration.ofSeconds(1));
      assertThat(runaway.outcome.get(60, TimeUnit.SECONDS).exitCode()).isGreaterThan(128);
      var ps = new KubernetesRuntimeTest.Recording();
      runtime.exec(
          "sbx-k3s",
          new ExecSpec(
              "0000000000000003",
              // ubuntu:22.04 has no ps: read the command lines from /proc
              List.of("sh", "-c", "for p in /proc/[0-9]*; do tr '\\0' ' ' <$p/cmdline; echo; done"),
              Map.of(),
              "/",
              null),
          ps);
      ps.outcome.get(60, TimeUnit.SECONDS);
      assertThat(ps.stdout()).doesNotContain("sleep 1000");

      assertThat(runtime.delete("sbx-k3s")).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> runtime.find("sbx-k3s").isEmpty());
    } finally {
      runtime.close();
    }
  }
}
