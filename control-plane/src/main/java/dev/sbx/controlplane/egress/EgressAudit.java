package dev.sbx.controlplane.egress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last attempts of each sandbox, newest last, for {@code GET /sandboxes/{id}/egress}. Memory is
 * bounded per sandbox; a deleted sandbox's attempts are dropped with it.
 */
final class EgressAudit {

  private final int perSandbox;
  private final Map<String, ArrayDeque<EgressAttempt>> attempts = new ConcurrentHashMap<>();

  /**
   * @param perSandbox how many attempts to keep per sandbox
   */
  EgressAudit(int perSandbox) {
    this.perSandbox = perSandbox;
  }

  void record(EgressAttempt attempt) {
    var ring = attempts.computeIfAbsent(attempt.sandboxId(), id -> new ArrayDeque<>());
    synchronized (ring) {
      if (ring.size() == perSandbox) {
        ring.removeFirst();
      }
      ring.addLast(attempt);
    }
  }

  List<EgressAttemptView> recent(String sandboxId) {
    var ring = attempts.get(sandboxId);
    if (ring == null) {
      return List.of();
    }
    List<EgressAttempt> copy;
    synchronized (ring) {
      copy = new ArrayList<>(ring);
    }
    return copy.stream().map(EgressAttempt::view).toList();
  }

  void forget(String sandboxId) {
    attempts.remove(sandboxId);
  }
}
