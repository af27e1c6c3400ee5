package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** A sandbox's state as read from its pod status. */
class SandboxStatusTest {

  @Test
  void aSandboxContainerKilledAtItsMemoryLimitShouldSayOomKilled() {
    // cgroup v2 kills the whole container on one OOM (memory.oom.group), and with restartPolicy
    // Never the pod ends Failed: the sandbox is gone, and says why in the API's own words.
    var pod = new PodBuilder().withStatus(MockCluster.terminated("OOMKilled", 137)).build();
    var status = SandboxStatus.of(pod);
    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.ready()).isFalse();
    assertThat(status.reason()).isEqualTo("oom_killed");
  }
}
