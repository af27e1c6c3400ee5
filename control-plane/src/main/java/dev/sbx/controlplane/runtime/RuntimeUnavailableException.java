package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The runtime could not do what was asked, for a reason that is not the caller's fault. */
public class RuntimeUnavailableException extends ErrorResponseException {

  public RuntimeUnavailableException(String detail, Throwable cause) {
    super(
        HttpStatus.SERVICE_UNAVAILABLE,
        Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            Problems.RUNTIME_UNAVAILABLE,
            "Sandbox runtime unavailable",
            detail),
        cause);
  }
}
