package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Elapsed;
import java.time.Duration;
import picocli.CommandLine.IExitCodeGenerator;

/** {@code sbx create -wait} gave up: the sandbox failed to start, or was not ready in time. */
final class SandboxNotReadyException extends RuntimeException implements IExitCodeGenerator {

  private final int exitCode;

  private SandboxNotReadyException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  static SandboxNotReadyException failed(String id, String reason) {
    return new SandboxNotReadyException(
        "sandbox " + id + " failed to start" + (reason.isEmpty() ? "" : ": " + reason),
        ExitCodes.ERROR);
  }

  // 4, as for a 503: the sandbox may yet become ready, unlike one that failed.
  static SandboxNotReadyException timedOut(String id, Duration timeout, String state) {
    return new SandboxNotReadyException(
        "sandbox "
            + id
            + " is not ready after "
            + Elapsed.of(timeout)
            + " ("
            + state
            + "); it may still start: see sbx status -id "
            + id,
        ExitCodes.CONFLICT);
  }

  @Override
  public int getExitCode() {
    return exitCode;
  }
}
