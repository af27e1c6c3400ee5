package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A create asked for the id of a sandbox that is still being deleted: the name is free once its
 * deletion ends, typically within seconds.
 */
public class SandboxDeletingException extends ErrorResponseException {

  public SandboxDeletingException(String sandboxId) {
    super(
        HttpStatus.CONFLICT,
        Problems.of(
            HttpStatus.CONFLICT,
            Problems.SANDBOX_DELETING,
            "Sandbox being deleted",
            "sandbox "
                + sandboxId
                + " is still being deleted; retry the create in a few seconds, or choose another"
                + " id"),
        null);
    getBody().setProperty("sandbox_id", sandboxId);
    getHeaders().set("Retry-After", "5");
  }
}
