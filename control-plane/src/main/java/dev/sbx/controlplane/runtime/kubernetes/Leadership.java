package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replica runs the warm pool and the reaper: the holder of the Lease {@value #LEASE} in the
 * control namespace. Every replica serves requests; only one fills the pool and reaps, so two
 * replicas never create the same warm sandboxes or race to delete one.
 */
final class Leadership implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(Leadership.class);

  static final String LEASE = "sbx-control-plane";

  /**
   * How the lease is held.
   *
   * @param leaseDuration how long a lease holds without renewal: how long the pool may go unfilled
   *     after its leader died
   * @param renewDeadline how long the leader keeps trying to renew before it stands down
   * @param retryPeriod how often candidates try, and the leader renews
   */
  record Timings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    static final Timings DEFAULT =
        new Timings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final Timings timings;
  private final Consumer<Boolean> onChange;
  private final ScheduledExecutorService restarts = Schedulers.daemonScheduler("sbx-leadership");
  private volatile CompletableFuture<?> election = CompletableFuture.completedFuture(null);
  private volatile boolean closed;

  /**
   * @param onChange hears true when this replica starts leading and false when it stops
   */
  Leadership(
      KubernetesClient client, String namespace, Timings timings, Consumer<Boolean> onChange) {
    this.client = client;
    this.namespace = namespace;
    this.timings = timings;
    // The pod name, unique among replicas, and a random part for two processes on one host.
    this.identity =
        System.getenv().getOrDefault("HOSTNAME", "sbx")
            + "-"
            + UUID.randomUUID().toString().substring(0, 6);
    this.onChange = onChange;
  }

  void start() {
    restarts.execute(
        () -> {
          ensureNamespace();
          elect();
        });
  }

  private void elect() {
    if (closed) {
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(LEASE)
            .withLock(new LeaseLock(namespace, LEASE, identity))
            .withLeaseDuration(timings.leaseDuration())
            .withRenewDeadline(timings.renewDeadline())
            .withRetryPeriod(timings.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    () -> {
                      logger.info("leading the warm pool and the reaper as {}", identity);
                      onChange.accept(true);
                    },
                    () -> onChange.accept(false),
                    leader -> logger.debug("leader is {}", leader)))
            .build();
    election = client.leaderElector().withConfig(config).build().start();
    // The elector ends when it loses the lease (or cannot renew it): stand again.
    election.whenComplete(
        (ignored, error) -> {
          onChange.accept(false);
          if (!closed) {
            restarts.schedule(this::elect, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
          }
        });
  }

  /** The Lease needs its namespace; made once, by whichever replica comes first. */
  private void ensureNamespace() {
    try {
      if (client.namespaces().withName(namespace).get() == null) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        logger.warn(
            "could not make the control namespace {} for the leader Lease: {}",
            namespace,
            e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    election.cancel(true);
    restarts.shutdownNow();
  }
}
