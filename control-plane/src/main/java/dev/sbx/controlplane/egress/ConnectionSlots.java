package dev.sbx.controlplane.egress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts each sandbox's open proxy connections against its cap. */
final class ConnectionSlots {

  private final int perSandbox;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  ConnectionSlots(int perSandbox) {
    this.perSandbox = perSandbox;
  }

  /** Takes a slot, or returns false when the sandbox has all of its slots in use. */
  boolean tryAcquire(String sandboxId) {
    boolean[] taken = {false};
    open.compute(
        sandboxId,
        (id, count) -> {
          int now = count == null ? 0 : count;
          if (now >= perSandbox) {
            return now;
          }
          taken[0] = true;
          return now + 1;
        });
    return taken[0];
  }

  void release(String sandboxId) {
    open.computeIfPresent(sandboxId, (id, count) -> count <= 1 ? null : count - 1);
  }

  int open(String sandboxId) {
    return open.getOrDefault(sandboxId, 0);
  }

  int limit() {
    return perSandbox;
  }
}
