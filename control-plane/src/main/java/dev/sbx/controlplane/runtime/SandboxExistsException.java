package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A create asked for an id that is already taken. */
public class SandboxExistsException extends ErrorResponseException {

  public SandboxExistsException(String sandboxId) {
    super(
        HttpStatus.CONFLICT,
        Problems.of(
            HttpStatus.CONFLICT,
            Problems.SANDBOX_EXISTS,
            "Sandbox exists",
            "sandbox " + sandboxId + " already exists; delete it first or choose another id"),
        null);
    getBody().setProperty("sandbox_id", sandboxId);
  }
}
