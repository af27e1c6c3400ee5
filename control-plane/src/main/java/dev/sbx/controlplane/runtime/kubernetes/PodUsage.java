package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ResourceUsage;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sandbox's container uses now, from the cluster's resource metrics API ({@code
 * metrics.k8s.io}, served by metrics-server, what {@code kubectl top} reads): memory, the working
 * set the kubelet counts against the limit. The API reports CPU as a rate, not the seconds the
 * usage shows, and processes and disk not at all, so those stay unknown.
 *
 * <p>A get must not wait on it: it has {@link #TIMEOUT}, and an API that refuses us is asked again
 * only after {@link #RETRY}.
 */
final class PodUsage {

  private static final Logger logger = LoggerFactory.getLogger(PodUsage.class);
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final Duration RETRY = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Executor executor;
  private final Clock clock;
  private volatile Instant unavailableUntil = Instant.MIN;

  PodUsage(KubernetesClient client, Executor executor, Clock clock) {
    this.client = client;
    this.executor = executor;
    this.clock = clock;
  }

  ResourceUsage of(String sandboxId) {
    if (clock.instant().isBefore(unavailableUntil)) {
      return ResourceUsage.UNKNOWN;
    }
    var read = CompletableFuture.supplyAsync(() -> read(sandboxId), executor);
    try {
      return read.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      read.cancel(true);
      return ResourceUsage.UNKNOWN;
    } catch (ExecutionException e) {
      // 404 is a pod not measured yet as well as a cluster without metrics-server: ask again next
      // time. 403 (no RBAC for it) and 503 (its APIService down) last: wait before asking again.
      if (e.getCause() instanceof KubernetesClientException k
          && (k.getCode() == 403 || k.getCode() == 503)) {
        if (unavailableUntil.equals(Instant.MIN)) {
          logger.info(
              "no pod metrics (metrics.k8s.io answers {}): usage shows no memory until it does",
              k.getCode());
        }
        unavailableUntil = clock.instant().plus(RETRY);
      }
      return ResourceUsage.UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ResourceUsage.UNKNOWN;
    }
  }

  private ResourceUsage read(String sandboxId) {
    var metrics = client.top().pods().metrics(sandboxId, Labels.POD_NAME);
    if (metrics == null || metrics.getContainers() == null) {
      return ResourceUsage.UNKNOWN;
    }
    return metrics.getContainers().stream()
        .filter(container -> Labels.CONTAINER.equals(container.getName()))
        .findFirst()
        .map(container -> container.getUsage() == null ? null : container.getUsage().get("memory"))
        .map(memory -> new ResourceUsage(bytes(memory), null, null, null))
        .orElse(ResourceUsage.UNKNOWN);
  }

  private static Long bytes(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity).longValue();
  }
}
