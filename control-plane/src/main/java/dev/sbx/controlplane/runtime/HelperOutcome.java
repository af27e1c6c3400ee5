package dev.sbx.controlplane.runtime;

/**
 * How a helper command run for the control plane (a file transfer) ended.
 *
 * @param outcome its end, as for any command
 * @param stderr the start of what it wrote on stderr (at most {@link #STDERR_LIMIT} bytes), decoded
 *     leniently: it comes from inside the sandbox
 */
public record HelperOutcome(ExecOutcome outcome, String stderr) {

  public static final int STDERR_LIMIT = 4096;

  public boolean succeeded() {
    return !outcome.lost() && outcome.exitCode() == 0;
  }
}
