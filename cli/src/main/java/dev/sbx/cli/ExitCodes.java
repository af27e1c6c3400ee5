package dev.sbx.cli;

import dev.sbx.cli.client.ApiException;
import dev.sbx.cli.client.ControlPlaneUnreachableException;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.ParameterException;

/** The exit codes of sbx, and which failure gets which. */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int CONFLICT = 4;
  public static final int UNREACHABLE = 5;
  public static final int UNAUTHORIZED = 6;

  /** {@code sbx exec} failed itself; like ssh, any other code is the remote command's own. */
  public static final int EXEC_FAILED = 255;

  private ExitCodes() {}

  static int of(Throwable failure) {
    if (failure instanceof ParameterException) {
      return USAGE;
    }
    if (failure instanceof ControlPlaneUnreachableException) {
      return UNREACHABLE;
    }
    if (failure instanceof ApiException) {
      return forStatus(((ApiException) failure).status());
    }
    if (failure instanceof IExitCodeGenerator) {
      return ((IExitCodeGenerator) failure).getExitCode();
    }
    return ERROR;
  }

  static int forStatus(int status) {
    return switch (status) {
      case 401, 403 -> UNAUTHORIZED;
      case 404 -> NOT_FOUND;
      case 409, 503 -> CONFLICT;
      default -> ERROR;
    };
  }
}
