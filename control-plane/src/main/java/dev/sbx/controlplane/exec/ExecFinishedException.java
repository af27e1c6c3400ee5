package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A cancel came for an exec that has already ended. */
public class ExecFinishedException extends ErrorResponseException {

  private final ExecStatus status;

  ExecFinishedException(String execId, ExecStatus status) {
    super(
        HttpStatus.CONFLICT,
        Problems.of(
            HttpStatus.CONFLICT,
            Problems.EXEC_FINISHED,
            "Exec finished",
            "exec " + execId + " already ended: " + status.wireName()),
        null);
    this.status = status;
  }

  public ExecStatus status() {
    return status;
  }
}
