package dev.sbx.controlplane;

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
    SpringApplication.run(ControlPlaneApplication.class, args);
  }
}
