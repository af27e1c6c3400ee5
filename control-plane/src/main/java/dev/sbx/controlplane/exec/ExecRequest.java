package dev.sbx.controlplane.exec;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /sandboxes/{id}/exec}.
 *
 * @param command the program and its arguments, passed as given (no shell)
 * @param async return at once with the exec id; null follows the server default
 * @param timeoutSeconds stop it (and all it started) after this many seconds
 * @param env variables added to the sandbox's environment for this command
 * @param cwd working directory inside the sandbox
 * @param stdin text given to the command on stdin
 * @param stdinBase64 bytes given to the command on stdin, base64-encoded
 */
public record ExecRequest(
    @Nullable List<String> command,
    @Nullable Boolean async,
    @Nullable Integer timeoutSeconds,
    @Nullable Map<String, String> env,
    @Nullable String cwd,
    @Nullable String stdin,
    @Nullable String stdinBase64) {

  static final ExecRequest EMPTY = new ExecRequest(null, null, null, null, null, null, null);
}
