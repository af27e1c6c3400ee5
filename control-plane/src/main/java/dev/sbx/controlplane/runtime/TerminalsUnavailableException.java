package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A terminal was asked of a runtime that cannot give one: 501, as the server lacks a feature. */
public class TerminalsUnavailableException extends ErrorResponseException {

  public TerminalsUnavailableException(String runtime, @Nullable String why) {
    super(
        HttpStatus.NOT_IMPLEMENTED,
        Problems.of(
            HttpStatus.NOT_IMPLEMENTED,
            Problems.NOT_IMPLEMENTED,
            "Terminals not available",
            "the " + runtime + " runtime cannot run commands on a terminal: " + why),
        null);
  }
}
