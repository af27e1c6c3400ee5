package dev.sbx.controlplane.config;

/** A configuration value that cannot work; the message names the key and says why. */
public class InvalidConfigException extends RuntimeException {

  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
