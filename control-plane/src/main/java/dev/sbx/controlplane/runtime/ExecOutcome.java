package dev.sbx.controlplane.runtime;

import org.jspecify.annotations.Nullable;

/**
 * How a command ended.
 *
 * @param exitCode the command's exit status; 128+N when a signal N killed it; -1 when unknown
 * @param reason null when the command simply exited; {@value #OOM_KILLED} when the kernel's OOM
 *     killer ended it at its sandbox's memory limit; else why it ended without a real status
 */
public record ExecOutcome(int exitCode, @Nullable String reason) {

  public static final String SANDBOX_DELETED = "sandbox_deleted";
  public static final String SANDBOX_STOPPED = "sandbox_stopped";
  public static final String CONTROL_PLANE_STOPPED = "control_plane_stopped";
  public static final String PROTOCOL_VIOLATION = "sandbox_protocol_violation";
  public static final String OOM_KILLED = "oom_killed";

  /** A cancel or timeout could not reach the sandbox to confirm that the exec's processes died. */
  public static final String KILL_UNCONFIRMED = "kill_unconfirmed";

  /** SIGKILL, as a shell reports it: what the OOM killer sends. */
  public static final int KILLED = 128 + 9;

  public static ExecOutcome exited(int exitCode) {
    return new ExecOutcome(exitCode, null);
  }

  /** The OOM killer ended the command (or the process it waited for) at the memory limit. */
  public static ExecOutcome oomKilled() {
    return new ExecOutcome(KILLED, OOM_KILLED);
  }

  public static ExecOutcome lost(String reason) {
    return new ExecOutcome(-1, reason);
  }

  /** Whether the command's end is unknown: the sandbox or the control plane stopped meanwhile. */
  public boolean lost() {
    return reason != null && !OOM_KILLED.equals(reason);
  }
}
