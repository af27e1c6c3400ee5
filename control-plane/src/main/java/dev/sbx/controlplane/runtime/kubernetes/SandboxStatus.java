package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecOutcome;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.readiness.Readiness;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox's state read from its pod: the pod's phase, whether it is Ready, and, when it is not,
 * the most useful reason Kubernetes gives (ErrImagePull, CrashLoopBackOff, Unschedulable...).
 *
 * @param phase Pending, Running, Succeeded, Failed or Unknown
 * @param ready whether commands can run in it
 * @param reason why it is not ready, when known
 */
record SandboxStatus(String phase, boolean ready, @Nullable String reason) {

  static SandboxStatus of(@Nullable Pod pod) {
    if (pod == null || pod.getStatus() == null) {
      return new SandboxStatus("Pending", false, null);
    }
    var status = pod.getStatus();
    var phase = status.getPhase() == null ? "Pending" : status.getPhase();
    boolean ready = "Running".equals(phase) && Readiness.isPodReady(pod);
    return new SandboxStatus(phase, ready, ready ? null : reason(pod));
  }

  private static @Nullable String reason(Pod pod) {
    var status = pod.getStatus();
    if (status.getContainerStatuses() != null) {
      for (ContainerStatus container : status.getContainerStatuses()) {
        var state = container.getState();
        if (state != null && state.getWaiting() != null && state.getWaiting().getReason() != null) {
          return state.getWaiting().getReason();
        }
        if (state != null && state.getTerminated() != null) {
          // The kubelet's OOMKilled, in the words the API uses for an exec's OOM kill.
          var reason = state.getTerminated().getReason();
          return "OOMKilled".equals(reason) ? ExecOutcome.OOM_KILLED : reason;
        }
      }
    }
    if (status.getConditions() != null) {
      for (var condition : status.getConditions()) {
        if ("False".equals(condition.getStatus()) && condition.getReason() != null) {
          return condition.getReason();
        }
      }
    }
    return status.getReason();
  }
}
