package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The exec named in a request is not one of the sandbox's, or was forgotten. */
public class ExecNotFoundException extends ErrorResponseException {

  private final String execId;

  public ExecNotFoundException(String sandboxId, String execId) {
    super(
        HttpStatus.NOT_FOUND,
        Problems.of(
            HttpStatus.NOT_FOUND,
            Problems.EXEC_NOT_FOUND,
            "Exec not found",
            "sandbox " + sandboxId + " has no exec " + execId),
        null);
    this.execId = execId;
  }

  public String execId() {
    return execId;
  }
}
