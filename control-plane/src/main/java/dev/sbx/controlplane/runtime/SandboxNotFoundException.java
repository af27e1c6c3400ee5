package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The sandbox named in a request does not exist. */
public class SandboxNotFoundException extends ErrorResponseException {

  private final String sandboxId;

  public SandboxNotFoundException(String sandboxId) {
    super(
        HttpStatus.NOT_FOUND,
        Problems.of(
            HttpStatus.NOT_FOUND,
            Problems.SANDBOX_NOT_FOUND,
            "Sandbox not found",
            "sandbox " + sandboxId + " does not exist"),
        null);
    this.sandboxId = sandboxId;
    getBody().setProperty("sandbox_id", sandboxId);
  }

  public String sandboxId() {
    return sandboxId;
  }
}
