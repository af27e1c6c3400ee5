package dev.sbx.controlplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the sbx control plane. */
@SpringBootApplication
public class ControlPlaneApplication {

  public static void main(String[] args) {
    // Fail in one line, before Spring prints anything, when the configuration or the machine
    // cannot work.
    StartupCheck.exitOnProblem(System.getenv());
    SpringApplication.run(ControlPlaneApplication.class, args);
  }
}
