package dev.sbx.controlplane.sandbox;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A sandbox id that cannot name a sandbox. */
public class InvalidSandboxIdException extends ErrorResponseException {

  public InvalidSandboxIdException(String given, String why) {
    super(
        HttpStatus.BAD_REQUEST,
        Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_SANDBOX_ID, "Invalid sandbox id", why),
        null);
    getBody().setProperty("sandbox_id", given);
  }
}
