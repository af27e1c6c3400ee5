package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.runtime.SandboxIdSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the cluster (in-cluster config inside a pod, else the kubeconfig: KUBECONFIG or
 * ~/.kube/config) and opens the Kubernetes runtime, or says in one line why it cannot.
 */
public final class KubernetesRuntimeFactory {

  private static final Logger logger = LoggerFactory.getLogger(KubernetesRuntimeFactory.class);

  private KubernetesRuntimeFactory() {}

  /**
   * A runtime on this client, which stays the caller's to close; Spring starts it. The client must
   * reach the API server.
   */
  static KubernetesRuntime open(
      KubernetesSettings settings, KubernetesClient client, SandboxIdSource ids) {
    checkReachable(client);
    var runtime = open(settings, client, ids, Clock.systemUTC(), Leadership.Timings.DEFAULT);
    runtime
        .unenforcedLimits()
        .forEach(
            (limit, why) ->
                logger.info("sandbox limits: {} is not enforced per sandbox: {}", limit, why));
    return runtime;
  }

  static KubernetesRuntime open(
      KubernetesSettings settings,
      KubernetesClient client,
      SandboxIdSource ids,
      Clock clock,
      Leadership.Timings lease) {
    var proxy = ProxySettings.of(settings.kubernetes(), settings.sandbox());
    return new KubernetesRuntime(
        client,
        new SandboxTemplates(settings.template(), settings.sandbox(), proxy),
        settings.kubernetes().execReadyTimeout(),
        PoolSettings.of(settings.pool()),
        SidecarSettings.of(settings.stream(), System.getenv()),
        proxy,
        ids,
        clock,
        lease);
  }

  /** A client for the cluster of the kubeconfig, or of the pod this runs in. */
  static KubernetesClient connect(KubernetesProperties kubernetes) {
    var timeout = (int) kubernetes.kubernetesRequestTimeout().toMillis();
    Config kube = Config.autoConfigure(null);
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(kube)
                .withConnectionTimeout(Math.min(timeout, 5_000))
                .withRequestTimeout(timeout)
                // A few quick retries for a blip; an outage must become a 503, not a long hang.
                .withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(200)
                .build())
        .build();
  }

  private static void checkReachable(KubernetesClient client) {
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      String cause = e.getMessage();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t.getMessage() != null && !t.getMessage().isBlank()) {
          cause = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
      }
      throw new InvalidConfigException(
          "cannot reach the Kubernetes API server at "
              + client.getMasterUrl()
              + " ("
              + cause
              + "); check KUBECONFIG and the current context (kubectl cluster-info), or set"
              + " SANDBOX_RUNTIME=local");
    }
  }
}
