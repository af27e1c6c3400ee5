package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.InvalidRequestException;

/**
 * A command was not started because its working directory does not exist in the sandbox: the
 * request's {@code cwd} is wrong, whichever runtime found out (sbx-init locally, the exec wrapper
 * in a pod).
 */
public final class MissingWorkingDirectoryException extends InvalidRequestException {

  public MissingWorkingDirectoryException(String cwd) {
    super("cwd", "working directory " + cwd + " does not exist in the sandbox");
  }
}
