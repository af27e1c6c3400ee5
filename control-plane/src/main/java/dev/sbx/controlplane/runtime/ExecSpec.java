package dev.sbx.controlplane.runtime;

import java.util.List;
import java.util.Map;

/**
 * A command to run in a sandbox.
 *
 * @param execId the exec's id, unique within the control plane
 * @param command the program and its arguments, passed as given, never through a shell
 * @param env variables added to the sandbox's environment for this command only
 * @param cwd working directory inside the sandbox
 */
public record ExecSpec(String execId, List<String> command, Map<String, String> env, String cwd) {

  public static final String DEFAULT_CWD = "/workspace";
}
