package dev.sbx.controlplane.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * Provides the {@link SandboxConfig}. The {@code SANDBOX_*} names are read through Spring's
 * environment, so tests and command-line arguments ({@code --SANDBOX_STREAM_BUFFER=50}) can set
 * them like environment variables.
 */
@Configuration
class ConfigConfiguration {

  private static final Logger logger = LoggerFactory.getLogger(ConfigConfiguration.class);

  @Bean
  SandboxConfig sandboxConfig(ConfigurableEnvironment environment) {
    var config = ConfigLoader.load(sandboxVariables(environment));
    logger.info(
        "config loaded: {}; runtime {}",
        config.configFile() == null ? "<none>" : config.configFile(),
        config.runtime());
    return config;
  }

  /** Every SANDBOX_* name, each from the source Spring gives precedence to. */
  private static Map<String, String> sandboxVariables(ConfigurableEnvironment environment) {
    var variables = new LinkedHashMap<String, String>();
    for (var source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (var name : enumerable.getPropertyNames()) {
          if (name.startsWith("SANDBOX_") && !variables.containsKey(name)) {
            var value = source.getProperty(name);
            if (value != null) {
              variables.put(name, String.valueOf(value));
            }
          }
        }
      }
    }
    return variables;
  }
}
