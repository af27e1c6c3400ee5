package dev.sbx.controlplane.runtime.local;

import java.io.IOException;

/** sbx-init did not start a command because its working directory does not exist. */
final class MissingDirectoryException extends IOException {
  MissingDirectoryException() {
    super("the working directory does not exist in the sandbox");
  }
}
