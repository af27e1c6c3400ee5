package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.problem.InvalidRequestException;

/** A request asks for something the configured runtime cannot do. */
public class UnsupportedOptionException extends InvalidRequestException {

  public UnsupportedOptionException(String field, String runtime, String why) {
    super(field, "not supported by the " + runtime + " runtime (" + why + ")");
  }
}
