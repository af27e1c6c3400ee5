package dev.sbx.controlplane.runtime.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Finds sandboxes nobody used for the idle TTL. Only sandboxes of this control plane (by label, as
 * the cache holds nothing else), never a pool sandbox no create took, never one with a running
 * exec. Idle time counts from the last exec start or end, else from the claim, else from creation.
 */
final class IdleReaper {

  private final SandboxInformers informers;
  private final WarmPool pool;
  private final LastExecTimes lastExec;
  private final Duration ttl;
  private final Clock clock;
  private final Predicate<String> busy;

  IdleReaper(
      SandboxInformers informers,
      WarmPool pool,
      LastExecTimes lastExec,
      Duration ttl,
      Clock clock,
      Predicate<String> busy) {
    this.informers = informers;
    this.pool = pool;
    this.lastExec = lastExec;
    this.ttl = ttl;
    this.clock = clock;
    this.busy = busy;
  }

  /** How often to look: often enough that a sandbox outlives its TTL by a small fraction only. */
  Duration period() {
    var quarter = ttl.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(30)) > 0
        ? Duration.ofSeconds(30)
        : quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
  }

  /** Hands each idle sandbox with its idle time to the reaper; returns their ids. */
  List<String> reap(BiConsumer<String, Duration> delete) {
    var reaped = new ArrayList<String>();
    if (ttl.isNegative() || ttl.isZero() || !informers.synced()) {
      return reaped;
    }
    var now = clock.instant();
    for (var namespace : informers.namespaces()) {
      var id = namespace.getMetadata().getName();
      var pod = informers.pod(id).orElse(null);
      if (!WarmPool.live(namespace) || pool.member(namespace, pod) || busy.test(id)) {
        continue;
      }
      var last =
          Stream.of(
                  lastExec.get(id, namespace),
                  pool.claimedAt(namespace, pod),
                  WarmSandboxes.createdAt(namespace))
              .filter(java.util.Objects::nonNull)
              .max(Instant::compareTo)
              .orElseThrow();
      var idle = Duration.between(last, now);
      if (idle.compareTo(ttl) > 0) {
        delete.accept(id, idle);
        reaped.add(id);
      }
    }
    return reaped;
  }
}
