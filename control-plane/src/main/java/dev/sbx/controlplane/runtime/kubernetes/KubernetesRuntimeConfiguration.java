package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kubernetes runtime, when {@code SANDBOX_RUNTIME=kubernetes}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sandbox.runtime", havingValue = "kubernetes")
class KubernetesRuntimeConfiguration {

  /**
   * @param kubernetesClient a Kubernetes client bean, if the application defines one (tests point
   *     it at a mock API server)
   */
  @Bean
  SandboxRuntime sandboxRuntime(
      SandboxConfig config,
      @Qualifier("kubernetesClient") ObjectProvider<Object> kubernetesClient) {
    return KubernetesRuntimeFactory.open(config, kubernetesClient);
  }
}
