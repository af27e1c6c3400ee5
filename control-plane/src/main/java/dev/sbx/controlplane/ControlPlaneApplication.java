package dev.sbx.controlplane;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point of the sbx control plane. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ControlPlaneApplication {

  public static void main(String[] args) {
    // Fail in one line, before Spring prints anything, when the configuration or the machine
    // cannot work.
    StartupCheck.exitOnProblem(System.getenv());
    try {
      SpringApplication.run(ControlPlaneApplication.class, args);
    } catch (RuntimeException e) {
      // Spring has reported it (one line for a configuration that cannot work). Its own exit code
      // would be 1: it asks the half-built context for exit code mappers, which fails.
      System.exit(exitCode(e));
    }
  }

  /** The exit code a cause of a failed start asks for (78 for a bad configuration), else 1. */
  static int exitCode(Throwable failure) {
    for (var cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ExitCodeGenerator generator) {
        return generator.getExitCode();
      }
    }
    return 1;
  }
}
