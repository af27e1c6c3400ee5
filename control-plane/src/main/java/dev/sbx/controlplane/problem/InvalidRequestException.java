package dev.sbx.controlplane.problem;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A request whose content cannot be used; the detail names the field. */
public class InvalidRequestException extends ErrorResponseException {

  public InvalidRequestException(String field, String why) {
    super(
        HttpStatus.BAD_REQUEST,
        Problems.of(
            HttpStatus.BAD_REQUEST,
            Problems.INVALID_REQUEST,
            "Invalid request",
            field + ": " + why),
        null);
    getBody().setProperty("field", field);
  }
}
