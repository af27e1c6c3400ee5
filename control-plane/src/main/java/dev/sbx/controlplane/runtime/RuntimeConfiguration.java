package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.runtime.local.LocalRuntimeFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Chooses the {@link SandboxRuntime} named by {@code SANDBOX_RUNTIME}. */
@Configuration
class RuntimeConfiguration {

  @Bean
  SandboxRuntime sandboxRuntime(SandboxConfig config, JsonMapper json) {
    return switch (config.runtime()) {
      case "local" -> LocalRuntimeFactory.open(config, json, System.getenv());
      default ->
          throw new InvalidConfigException(
              ConfigKey.RUNTIME.envVar()
                  + "="
                  + config.runtime()
                  + ": this build has only the local runtime");
    };
  }
}
