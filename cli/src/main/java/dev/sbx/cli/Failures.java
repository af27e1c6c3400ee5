package dev.sbx.cli;

import dev.sbx.cli.command.GlobalOptions;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns every failure into one {@code error:} line on stderr and an exit code. */
final class Failures
    implements IParameterExceptionHandler, IExecutionExceptionHandler, IExitCodeExceptionMapper {

  private final GlobalOptions globals;

  Failures(GlobalOptions globals) {
    this.globals = globals;
  }

  @Override
  public int getExitCode(Throwable failure) {
    return ExitCodes.of(failure);
  }

  @Override
  public int handleParseException(ParameterException failure, String[] args) {
    CommandLine command = failure.getCommandLine();
    String message = failure.getMessage();
    // Some picocli messages carry their own "Error: " prefix; ours already has one.
    if (message.startsWith("Error: ")) {
      message = message.substring("Error: ".length());
    }
    command.getErr().println("error: " + message);
    return getExitCode(failure);
  }

  @Override
  public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
    if (globals.stacktrace()) {
      failure.printStackTrace(command.getErr());
    }
    String message = failure.getMessage();
    command.getErr().println("error: " + (message == null ? failure.toString() : message));
    // A command that declares its own failure code (exec's 255) keeps it for every failure, so
    // that sbx's codes cannot be mistaken for those of the command it ran.
    int declared = command.getCommandSpec().exitCodeOnExecutionException();
    if (declared != ExitCodes.ERROR) {
      return declared;
    }
    return getExitCode(failure);
  }
}
