package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ReplicaSource;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.SandboxIdSource;
import dev.sbx.controlplane.runtime.StreamModeProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes runtime, when {@code SANDBOX_RUNTIME=kubernetes}. Its client comes from {@link
 * KubernetesClientConfiguration} unless the application defines one (tests point theirs at a mock
 * API server). Spring starts it (a SmartLifecycle) and closes it before the client.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sandbox.runtime", havingValue = "kubernetes")
class KubernetesRuntimeConfiguration {

  /**
   * @param kubernetes API timeouts and the egress proxy's place
   * @param template what sandbox pods are made of
   * @param sandbox what every sandbox gets: env, limits, hosts
   * @param pool the warm pool's and the reaper's settings
   * @param stream whether pods get the stream sidecar, and its settings
   * @param ids where the warm pool's sandbox ids come from
   */
  @Bean
  KubernetesRuntime sandboxRuntime(
      KubernetesProperties kubernetes,
      SandboxTemplateProperties template,
      SandboxDefaultsProperties sandbox,
      WarmPoolProperties pool,
      StreamModeProperties stream,
      KubernetesClient kubernetesClient,
      SandboxIdSource ids) {
    return KubernetesRuntimeFactory.open(
        new KubernetesSettings(kubernetes, template, sandbox, pool, stream), kubernetesClient, ids);
  }

  /** The replicas, when several share the sandboxes: the headless Service's ready endpoints. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "sandbox.peers-service")
  ReplicaSource endpointSliceReplicas(
      KubernetesClient kubernetesClient,
      KubernetesProperties kubernetes,
      @Value("${sandbox.peers-service}") String service) {
    return new EndpointSliceReplicas(kubernetesClient, kubernetes.egressProxyNamespace(), service);
  }
}
