package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.config.SandboxConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Connects to the cluster (in-cluster config inside a pod, else the kubeconfig: KUBECONFIG or
 * ~/.kube/config) and opens the Kubernetes runtime, or says in one line why it cannot.
 */
public final class KubernetesRuntimeFactory {

  private static final Logger logger = LoggerFactory.getLogger(KubernetesRuntimeFactory.class);

  private KubernetesRuntimeFactory() {}

  /**
   * @param clients a KubernetesClient bean when the application provides one (tests do)
   */
  public static KubernetesRuntime open(SandboxConfig config, ObjectProvider<Object> clients) {
    var provided = clients.getIfAvailable();
    var client = provided instanceof KubernetesClient given ? given : connect(config);
    checkReachable(client);
    return open(config, client, Clock.systemUTC(), client != provided);
  }

  /** A runtime on the caller's client, which stays the caller's to close. */
  static KubernetesRuntime open(SandboxConfig config, KubernetesClient client) {
    return open(config, client, Clock.systemUTC(), false);
  }

  static KubernetesRuntime open(SandboxConfig config, KubernetesClient client, Clock clock) {
    return open(config, client, clock, false);
  }

  private static KubernetesRuntime open(
      SandboxConfig config, KubernetesClient client, Clock clock, boolean ownsClient) {
    var runtime =
        new KubernetesRuntime(
            client,
            new SandboxTemplates(config),
            config.duration(ConfigKey.EXEC_READY_TIMEOUT),
            PoolSettings.of(config),
            SidecarSettings.of(config, System.getenv()),
            ProxySettings.of(config),
            clock,
            ownsClient);
    runtime.start();
    runtime
        .unenforcedLimits()
        .forEach(
            (limit, why) ->
                logger.info("sandbox limits: {} is not enforced per sandbox: {}", limit, why));
    return runtime;
  }

  private static KubernetesClient connect(SandboxConfig config) {
    var timeout = (int) config.duration(ConfigKey.KUBERNETES_REQUEST_TIMEOUT).toMillis();
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
