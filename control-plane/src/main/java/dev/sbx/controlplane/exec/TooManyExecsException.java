package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The sandbox already runs as many execs as {@code SANDBOX_EXEC_MAX_RUNNING} allows. */
public class TooManyExecsException extends ErrorResponseException {

  private final int running;

  TooManyExecsException(String sandboxId, int running) {
    super(
        HttpStatus.TOO_MANY_REQUESTS,
        Problems.of(
            HttpStatus.TOO_MANY_REQUESTS,
            Problems.TOO_MANY_EXECS,
            "Too many execs",
            "sandbox "
                + sandboxId
                + " already runs "
                + running
                + " execs, the most SANDBOX_EXEC_MAX_RUNNING allows"),
        null);
    this.running = running;
  }

  public int running() {
    return running;
  }
}
