package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The client of the cluster (in-cluster config inside a pod, else the kubeconfig: KUBECONFIG or
 * ~/.kube/config), unless the application defines one. An auto-configuration, so that it is
 * considered after the application's own beans, as {@code @ConditionalOnMissingBean} needs; Spring
 * closes it after the runtime that uses it.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "sandbox.runtime", havingValue = "kubernetes")
public class KubernetesClientConfiguration {

  @Bean
  @ConditionalOnMissingBean
  KubernetesClient kubernetesClient(KubernetesProperties kubernetes) {
    return KubernetesRuntimeFactory.connect(kubernetes);
  }
}
