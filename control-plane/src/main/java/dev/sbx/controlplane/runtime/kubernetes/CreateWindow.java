package dev.sbx.controlplane.runtime.kubernetes;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The creates of the last minute, which an autosized pool follows. Keyed by sandbox id, so that a
 * create this process recorded and the same create seen in the cluster (after a restart, or made by
 * another replica) count once.
 */
final class CreateWindow {

  private final Clock clock;
  private final Map<String, Instant> creates = new HashMap<>();

  CreateWindow(Clock clock) {
    this.clock = clock;
  }

  synchronized void record(String sandboxId, Instant when) {
    if (recent(when)) {
      creates.merge(sandboxId, when, (a, b) -> a.isBefore(b) ? a : b);
    }
  }

  synchronized int count() {
    creates.values().removeIf(when -> !recent(when));
    return creates.size();
  }

  private boolean recent(Instant when) {
    return when.isAfter(clock.instant().minus(PoolSettings.WINDOW));
  }
}
