package dev.sbx.controlplane.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Adds the {@code sandbox.*} properties ({@link SandboxPropertySource}) behind every other source,
 * so that {@code @ConditionalOnProperty} and {@code @ConfigurationProperties} see the {@code
 * SANDBOX_*} variables and the {@code SANDBOX_CONFIG} file through the one table of names.
 */
class SandboxEnvironmentPostProcessor implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getPropertySources().contains(SandboxPropertySource.NAME)) {
      environment.getPropertySources().addLast(new SandboxPropertySource(environment));
    }
  }
}
