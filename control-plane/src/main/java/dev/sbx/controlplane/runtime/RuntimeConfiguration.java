package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.runtime.kubernetes.KubernetesRuntimeFactory;
import dev.sbx.controlplane.runtime.local.LocalRuntimeFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Chooses the {@link SandboxRuntime} named by {@code SANDBOX_RUNTIME}. */
@Configuration
class RuntimeConfiguration {

  /**
   * @param kubernetesClient a Kubernetes client bean, if the application defines one (tests point
   *     it at a mock API server); typed loosely so that only runtime/kubernetes knows fabric8
   */
  @Bean
  SandboxRuntime sandboxRuntime(
      SandboxConfig config,
      JsonMapper json,
      @Qualifier("kubernetesClient") ObjectProvider<Object> kubernetesClient) {
    return switch (config.runtime()) {
      case "local" -> {
        if ("sidecar".equals(config.text(ConfigKey.STREAM_MODE))) {
          throw new InvalidConfigException(
              "SANDBOX_STREAM_MODE=sidecar needs SANDBOX_RUNTIME=kubernetes: a local sandbox's"
                  + " output reaches the control plane directly");
        }
        yield LocalRuntimeFactory.open(config, json, System.getenv());
      }
      case "kubernetes" -> KubernetesRuntimeFactory.open(config, kubernetesClient);
      default ->
          throw new InvalidConfigException(
              ConfigKey.RUNTIME.envVar() + "=" + config.runtime() + ": unknown runtime");
    };
  }
}
