package dev.sbx.controlplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The control plane's metrics, under the original's names where it had them ({@code
 * sandbox_create_total}, {@code sandbox_exec_total}, {@code warm_pool_desired}...). One place names
 * them, so the README's list and the code cannot drift apart.
 */
@Component
public class SandboxMetrics {

  // A few buckets from "instant" to "slow", rather than Micrometer's 70-odd default ones.
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(250),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30),
    Duration.ofMinutes(5)
  };

  private final MeterRegistry registry;
  private final Counter creates;
  private final Counter warmHits;
  private final Counter coldCreates;
  private final Counter execs;
  private final Counter deletes;
  private final Timer createToReady;
  private final Timer warmClaim;
  private final Counter reaped;
  private final Counter ingestRejected;
  private final Counter evicted;
  private final Counter droppedSubscribers;
  private final Counter oomKills;
  private final Counter protocolViolations;
  private final AtomicLong runningExecs = new AtomicLong();

  public SandboxMetrics(MeterRegistry registry) {
    this.registry = registry;
    creates = counter("sandbox.create", "sandboxes created");
    warmHits = counter("sandbox.create.warm.hit", "creates served by a warm sandbox");
    coldCreates = counter("sandbox.create.cold", "creates that started a new sandbox");
    execs = counter("sandbox.exec", "execs started");
    deletes = counter("sandbox.delete", "sandboxes deleted");
    evicted = counter("sandbox.events.evicted", "events that left a sandbox's buffer");
    droppedSubscribers =
        counter("sandbox.stream.subscribers.dropped", "stream subscribers closed as too slow");
    createToReady =
        Timer.builder("sandbox.create.ready")
            .description("time from create to ready")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    warmClaim =
        Timer.builder("sandbox.warm.claim")
            .description("time a create took to claim a warm sandbox")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    reaped = counter("sandbox.reaped", "idle sandboxes deleted by the reaper");
    oomKills = counter("sandbox.oom.kills", "execs ended by the OOM killer at the memory limit");
    protocolViolations =
        counter(
            "sandbox.protocol.violations",
            "times a sandbox broke the protocol of its control channel and was restarted");
    ingestRejected =
        counter("sandbox.ingest.rejected", "stream sidecar frames refused as malformed");
    Gauge.builder("sandbox.execs.running", runningExecs, AtomicLong::get)
        .description("execs running now")
        .register(registry);
  }

  public void created(boolean warm) {
    creates.increment();
    (warm ? warmHits : coldCreates).increment();
  }

  public void deleted() {
    deletes.increment();
  }

  public void claimed(Duration took) {
    warmClaim.record(took);
  }

  public void reaped() {
    reaped.increment();
  }

  public void oomKilled() {
    oomKills.increment();
  }

  public void protocolViolation() {
    protocolViolations.increment();
  }

  public void ingestRejected() {
    ingestRejected.increment();
  }

  public void execStarted() {
    execs.increment();
    runningExecs.incrementAndGet();
  }

  /** An exec that {@link #execStarted() started} ended. */
  public void execFinished(String status, Duration duration) {
    runningExecs.decrementAndGet();
    Timer.builder("sandbox.exec.duration")
        .description("how long execs ran, by how they ended")
        .tag("status", status)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(duration);
  }

  public void ready(Duration sinceCreate) {
    createToReady.record(sinceCreate);
  }

  public void rejected(int status) {
    Counter.builder("http.requests.rejected")
        .description("requests answered with an error, by status")
        .tag("status", String.valueOf(status))
        .register(registry)
        .increment();
  }

  public void eventsEvicted(long count) {
    evicted.increment(count);
  }

  public void subscriberDropped() {
    droppedSubscribers.increment();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }
}
