package dev.sbx.controlplane.exec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The answer to an exec: for a sync one, how it ended and what it printed; for an async one, its id
 * and {@code running}.
 *
 * @param execId the exec's id, for the stream
 * @param sandboxId the sandbox it runs in
 * @param status running, completed (it exited, whatever its code) or lost
 * @param exitCode its exit status (sync only; -1 when lost)
 * @param reason why a lost exec ended without a status
 * @param stdout everything it wrote on stdout (sync only)
 * @param stderr everything it wrote on stderr (sync only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecResult(
    String execId,
    String sandboxId,
    String status,
    @Nullable Integer exitCode,
    @Nullable String reason,
    @Nullable String stdout,
    @Nullable String stderr) {

  static ExecResult running(String execId, String sandboxId) {
    return new ExecResult(execId, sandboxId, "running", null, null, null, null);
  }
}
