package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Output asked for by offset is no longer kept: the sandbox's output store dropped it to stay in
 * its budget ({@code SANDBOX_STREAM_STORE_BYTES}).
 */
public class OutputDroppedException extends ErrorResponseException {

  public OutputDroppedException(String sandboxId, String execId, long offset, long keptFrom) {
    super(HttpStatus.GONE, problem(sandboxId, execId, offset, keptFrom), null);
  }

  private static ProblemDetail problem(
      String sandboxId, String execId, long offset, long keptFrom) {
    var problem =
        Problems.of(
            HttpStatus.GONE,
            Problems.OUTPUT_DROPPED,
            "Output dropped",
            "output of exec "
                + execId
                + " in "
                + sandboxId
                + " before offset "
                + keptFrom
                + " was dropped to stay in the sandbox's output budget; asked for offset "
                + offset);
    problem.setProperty("kept_from", keptFrom);
    return problem;
  }
}
