package dev.sbx.controlplane.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks every key at start, so that a bad value fails the context in one line that names it, and
 * logs where the configuration came from. Features read their own {@code @ConfigurationProperties}
 * records; none reads this {@link SandboxConfig}. The {@code SANDBOX_*} names are read through
 * Spring's environment, so tests and command-line arguments ({@code --SANDBOX_STREAM_BUFFER=50})
 * can set them like environment variables.
 */
@Configuration
class ConfigConfiguration {

  private static final Logger logger = LoggerFactory.getLogger(ConfigConfiguration.class);

  @Bean
  SandboxConfig sandboxConfig(ConfigurableEnvironment environment) {
    var config =
        ConfigLoader.load(new SandboxPropertySource.Variables(environment).sandboxVariables());
    logger.info(
        "config loaded: {}; runtime {}",
        config.configFile() == null ? "<none>" : config.configFile(),
        config.runtime());
    return config;
  }
}
