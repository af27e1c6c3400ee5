package dev.sbx.cli.command;

/** {@code sbx exec} could not report the command's own exit code; it exits with 255 instead. */
final class ExecFailedException extends RuntimeException {

  ExecFailedException(String message) {
    super(message);
  }
}
