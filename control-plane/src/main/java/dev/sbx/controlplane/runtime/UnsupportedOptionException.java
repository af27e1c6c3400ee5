package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A request asks for something the configured runtime cannot do. */
public class UnsupportedOptionException extends ErrorResponseException {

  public UnsupportedOptionException(String field, String runtime, String why) {
    super(
        HttpStatus.BAD_REQUEST,
        Problems.of(
            HttpStatus.BAD_REQUEST,
            Problems.INVALID_REQUEST,
            "Invalid request",
            field + ": not supported by the " + runtime + " runtime (" + why + ")"),
        null);
    getBody().setProperty("field", field);
  }
}
