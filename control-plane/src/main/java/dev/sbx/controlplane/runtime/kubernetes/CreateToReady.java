package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.SandboxRuntime.ReadyListener;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Times cold creates from the request to the pod's first Ready, as the watch reports it, for the
 * create-to-ready timer. A create that took longer than the create timeout failed, whenever it
 * ends: it is not a sample.
 */
final class CreateToReady {

  private final Clock clock;
  private final Duration bound;
  private final Map<String, Instant> awaiting = new ConcurrentHashMap<>();
  private final List<ReadyListener> listeners = new CopyOnWriteArrayList<>();

  CreateToReady(Clock clock, Duration bound) {
    this.clock = clock;
    this.bound = bound;
  }

  void listen(ReadyListener listener) {
    listeners.add(listener);
  }

  void created(String id) {
    awaiting.put(id, clock.instant());
  }

  void forget(String id) {
    awaiting.remove(id);
  }

  /** What the pod watch reports: a pod's new state. */
  void podChanged(Pod pod) {
    var id = pod.getMetadata().getNamespace();
    var now = clock.instant();
    awaiting.values().removeIf(created -> created.plus(bound).isBefore(now));
    if (SandboxStatus.of(pod).ready()) {
      var created = awaiting.remove(id);
      if (created != null) {
        var sinceCreate = Duration.between(created, now);
        listeners.forEach(listener -> listener.ready(id, sinceCreate));
      }
    }
  }
}
