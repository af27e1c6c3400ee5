package dev.sbx.controlplane.runtime.kubernetes;

import java.io.IOException;

/** The exec wrapper did not start a command because its working directory does not exist. */
final class MissingDirectoryException extends IOException {
  MissingDirectoryException() {
    super("the working directory does not exist in the sandbox");
  }
}
