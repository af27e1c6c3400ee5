package dev.sbx.controlplane.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Adds the {@code sandbox.*} properties ({@link SandboxPropertySource}) in front of every other
 * source, so that {@code @ConditionalOnProperty} and {@code @ConfigurationProperties} see the
 * {@code SANDBOX_*} variables and the {@code SANDBOX_CONFIG} file through the one table of names,
 * checked. In front: Spring maps {@code sandbox.exec-max-output} to the variable
 * SANDBOX_EXEC_MAX_OUTPUT by itself, and would bind its raw text ({@code 16MiB}, {@code none},
 * {@code 1h30m}), which its own converters refuse or read differently.
 */
class SandboxEnvironmentPostProcessor implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getPropertySources().contains(SandboxPropertySource.NAME)) {
      environment.getPropertySources().addFirst(new SandboxPropertySource(environment));
    }
  }
}
