package dev.sbx.controlplane.runtime;

import org.jspecify.annotations.Nullable;

/**
 * How a command ended.
 *
 * @param exitCode the command's exit status; 128+N when a signal N killed it; -1 when unknown
 * @param reason null when the command simply exited, else why it ended without a real status
 */
public record ExecOutcome(int exitCode, @Nullable String reason) {

  public static final String SANDBOX_DELETED = "sandbox_deleted";
  public static final String SANDBOX_STOPPED = "sandbox_stopped";
  public static final String CONTROL_PLANE_STOPPED = "control_plane_stopped";

  public static ExecOutcome exited(int exitCode) {
    return new ExecOutcome(exitCode, null);
  }

  public static ExecOutcome lost(String reason) {
    return new ExecOutcome(-1, reason);
  }

  public boolean lost() {
    return reason != null;
  }
}
