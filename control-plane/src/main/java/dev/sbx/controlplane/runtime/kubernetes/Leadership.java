package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.sandbox.SandboxIds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
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
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  private static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final Consumer<Boolean> onChange;
  private final ScheduledExecutorService restarts = Schedulers.daemonScheduler("sbx-leadership");
  private volatile CompletableFuture<?> election = CompletableFuture.completedFuture(null);
  private volatile boolean closed;

  /**
   * @param onChange hears true when this replica starts leading and false when it stops
   */
  Leadership(KubernetesClient client, String namespace, Consumer<Boolean> onChange) {
    this.client = client;
    this.namespace = namespace;
    this.identity = System.getenv().getOrDefault("HOSTNAME", "sbx") + "-" + SandboxIds.randomHex(3);
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
            .withLeaseDuration(LEASE_DURATION)
            .withRenewDeadline(RENEW_DEADLINE)
            .withRetryPeriod(RETRY_PERIOD)
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
            restarts.schedule(this::elect, RETRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
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
