package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.StreamModeProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The local runtime, when {@code SANDBOX_RUNTIME=local} (the default). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sandbox.runtime", havingValue = "local")
class LocalRuntimeConfiguration {

  @Bean
  SandboxRuntime sandboxRuntime(
      LocalProperties local,
      SandboxDefaultsProperties defaults,
      StreamModeProperties stream,
      JsonMapper json) {
    if (stream.sidecar()) {
      throw new InvalidConfigException(
          "SANDBOX_STREAM_MODE=sidecar needs SANDBOX_RUNTIME=kubernetes: a local sandbox's"
              + " output reaches the control plane directly");
    }
    return LocalRuntimeFactory.open(local, defaults, json, System.getenv());
  }
}
