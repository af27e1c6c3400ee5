package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.SandboxNotReadyException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits, bounded, for a sandbox's pod to be Ready before a command runs in it. */
final class PodReadiness {

  private final KubernetesClient client;
  private final SandboxLookup lookup;
  private final Duration timeout;

  PodReadiness(KubernetesClient client, SandboxLookup lookup, Duration timeout) {
    this.client = client;
    this.lookup = lookup;
    this.timeout = timeout;
  }

  /**
   * Returns once the pod is Ready.
   *
   * @throws SandboxNotReadyException when it is not within the timeout, or ended
   */
  void await(String id) {
    if (SandboxStatus.of(lookup.pod(id)).ready()) {
      return;
    }
    try {
      // A watch, not polling: it returns as soon as the kubelet reports the pod Ready.
      client
          .pods()
          .inNamespace(id)
          .withName(Labels.POD_NAME)
          .waitUntilCondition(
              p -> p == null || SandboxStatus.of(p).ready() || terminal(p),
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      // answered below with the pod's last state
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "watch the pod of sandbox " + id);
    }
    // Read afresh: the watched cache may lag behind the state that made the wait time out.
    SandboxStatus status;
    try {
      status = SandboxStatus.of(client.pods().inNamespace(id).withName(Labels.POD_NAME).get());
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "read the pod of sandbox " + id);
    }
    if (!status.ready()) {
      throw new SandboxNotReadyException(id, status.phase(), status.reason());
    }
  }

  private static boolean terminal(Pod pod) {
    var phase = SandboxStatus.of(pod).phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
