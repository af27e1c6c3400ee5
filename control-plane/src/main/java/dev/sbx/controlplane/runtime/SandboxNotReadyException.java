package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A command was asked of a sandbox that did not become ready in time. */
public class SandboxNotReadyException extends ErrorResponseException {

  public SandboxNotReadyException(String sandboxId, String phase, @Nullable String reason) {
    super(
        HttpStatus.CONFLICT,
        Problems.of(
            HttpStatus.CONFLICT,
            Problems.SANDBOX_NOT_READY,
            "Sandbox not ready",
            "sandbox not ready: "
                + sandboxId
                + " is "
                + phase
                + (reason == null ? "" : " (" + reason + ")")),
        null);
    getBody().setProperty("sandbox_id", sandboxId);
    getBody().setProperty("phase", phase);
    if (reason != null) {
      getBody().setProperty("reason", reason);
    }
  }
}
