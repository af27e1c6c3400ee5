package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Tells whether the kernel's OOM killer ended a sandbox's container, for an exec whose pod exec
 * broke off without a status. On cgroup v2 one OOM kill at the container's memory limit takes every
 * process of the container ({@code memory.oom.group}), so each exec running in it ends that way;
 * the kubelet reports {@code OOMKilled} on the container a moment after the exec's connection
 * broke, so the answer waits for the pod's status, at most {@link #WAIT}.
 */
final class ContainerOomCheck {

  /** How long the kubelet may take to report the container's end, after its execs broke off. */
  static final Duration WAIT = Duration.ofSeconds(3);

  private static final long STEP_MILLIS = 100;

  private final Function<String, Optional<Pod>> pods;
  private final ScheduledExecutorService timer;

  /**
   * @param pods the sandbox's pod as last seen (the informers' cache: no API request)
   * @param timer where the checks wait; nothing blocks a thread
   */
  ContainerOomCheck(Function<String, Optional<Pod>> pods, ScheduledExecutorService timer) {
    this.pods = pods;
    this.timer = timer;
  }

  /** Calls verdict with true once the container shows an OOM kill, false when it does not. */
  void check(String sandboxId, Consumer<Boolean> verdict) {
    check(sandboxId, System.nanoTime() + WAIT.toNanos(), verdict);
  }

  private void check(String sandboxId, long deadline, Consumer<Boolean> verdict) {
    var ended = pods.apply(sandboxId).map(ContainerOomCheck::terminated).orElse(null);
    if (ended != null) {
      verdict.accept("OOMKilled".equals(ended.getReason()));
    } else if (System.nanoTime() >= deadline) {
      verdict.accept(false); // still running, or gone without a word: not an OOM kill we saw
    } else {
      timer.schedule(() -> check(sandboxId, deadline, verdict), STEP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** How the sandbox container ended, now or last time (a restarted container), if it did. */
  static @Nullable ContainerStateTerminated terminated(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    for (var container : pod.getStatus().getContainerStatuses()) {
      if (Labels.CONTAINER.equals(container.getName())) {
        var now = terminated(container.getState());
        return now != null ? now : terminated(container.getLastState());
      }
    }
    return null;
  }

  private static @Nullable ContainerStateTerminated terminated(@Nullable ContainerState state) {
    return state == null ? null : state.getTerminated();
  }
}
