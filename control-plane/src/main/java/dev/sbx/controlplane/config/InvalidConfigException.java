package dev.sbx.controlplane.config;

import org.springframework.boot.ExitCodeGenerator;

/**
 * A configuration value that cannot work; the message names the key and says why. The process then
 * exits with EX_CONFIG (78, sysexits.h), after printing {@link #oneLine()}.
 */
public class InvalidConfigException extends RuntimeException implements ExitCodeGenerator {

  static final int EXIT_CONFIG = 78;

  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The message as the one line a failed start prints. */
  public String oneLine() {
    return "sbx control plane: " + getMessage().strip().replace('\n', ' ');
  }

  @Override
  public int getExitCode() {
    return EXIT_CONFIG;
  }
}
