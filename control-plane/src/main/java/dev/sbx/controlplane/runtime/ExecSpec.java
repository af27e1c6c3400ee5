package dev.sbx.controlplane.runtime;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A command to run in a sandbox.
 *
 * @param execId the exec's id, unique within the control plane
 * @param command the program and its arguments, passed as given, never through a shell
 * @param env variables added to the sandbox's environment for this command only
 * @param cwd working directory inside the sandbox
 * @param stdin what the command reads on stdin before EOF; null for an empty stdin
 * @param detached whether the command's output goes through the sandbox's stream sidecar: the
 *     runtime only starts it, and its output and end arrive through ingest
 * @param tty the size of the terminal the command runs on, or null for none: with one, its stdin,
 *     stdout and stderr are the terminal, its input comes through {@link Terminal} and all it
 *     prints arrives as stdout
 */
public record ExecSpec(
    String execId,
    List<String> command,
    Map<String, String> env,
    String cwd,
    byte @Nullable [] stdin,
    boolean detached,
    @Nullable TerminalSize tty) {

  /** A command without a terminal. */
  public ExecSpec(
      String execId,
      List<String> command,
      Map<String, String> env,
      String cwd,
      byte @Nullable [] stdin,
      boolean detached) {
    this(execId, command, env, cwd, stdin, detached, null);
  }

  /** A command whose output and end the runtime reports itself. */
  public ExecSpec(
      String execId,
      List<String> command,
      Map<String, String> env,
      String cwd,
      byte @Nullable [] stdin) {
    this(execId, command, env, cwd, stdin, false);
  }

  public static final String DEFAULT_CWD = "/workspace";

  /** Every process an exec starts carries this variable, so they can all be found and killed. */
  public static final String EXEC_ID_VARIABLE = "SBX_EXEC_ID";
}
