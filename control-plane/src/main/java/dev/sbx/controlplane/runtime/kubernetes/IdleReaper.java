package dev.sbx.controlplane.runtime.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds sandboxes nobody used for the idle TTL. Only sandboxes of this control plane (by label, as
 * the cache holds nothing else), never a pool sandbox no create took, never one with a running
 * exec. Idle time counts from the last exec start or end, else from the claim, else from creation.
 */
final class IdleReaper implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(IdleReaper.class);

  private final SandboxInformers informers;
  private final WarmPool pool;
  private final LastExecTimes lastExec;
  private final Duration ttl;
  private final Clock clock;
  private final Predicate<String> busy;
  private final ScheduledExecutorService schedule = Schedulers.daemonScheduler("sbx-reaper");
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

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

  /**
   * Reaps every {@link #period()} while leading says so: only the leader deletes, so two replicas
   * never race to delete one sandbox.
   */
  void start(BooleanSupplier leading, Predicate<String> delete) {
    if (ttl.isNegative() || ttl.isZero()) {
      logger.info("idle reaping is off (SANDBOX_IDLE_TTL={})", ttl);
      return;
    }
    var period = period().toMillis();
    schedule.scheduleWithFixedDelay(
        () -> {
          if (!leading.getAsBoolean()) {
            return;
          }
          try {
            reap(delete);
          } catch (RuntimeException e) {
            logger.warn("idle reaper: {}", e.getMessage());
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    schedule.shutdownNow();
  }

  /** Hears the id of each sandbox the reaper deleted. */
  void onReaped(Consumer<String> listener) {
    listeners.add(listener);
  }

  /**
   * Hands each idle sandbox to delete (true when it deleted it), and tells the listeners of those
   * deleted; returns the ids of all it found idle.
   */
  List<String> reap(Predicate<String> delete) {
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
              .filter(Objects::nonNull)
              .max(Instant::compareTo)
              .orElseThrow();
      var idle = Duration.between(last, now);
      if (idle.compareTo(ttl) > 0) {
        if (delete.test(id)) {
          logger.info("reaped sandbox namespace={} idle={}", id, idle.withNanos(0));
          listeners.forEach(listener -> listener.accept(id));
        }
        reaped.add(id);
      }
    }
    return reaped;
  }
}
