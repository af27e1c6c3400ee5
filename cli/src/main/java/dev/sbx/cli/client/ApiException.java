package dev.sbx.cli.client;

/** The control plane answered with an error status; the message is the line to show the user. */
public final class ApiException extends RuntimeException {

  private static final String PROBLEM_JSON = "application/problem+json";

  private final int status;
  private final ApiProblem problem;

  private ApiException(int status, String message, ApiProblem problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }

  static ApiException of(int status, String reason, String contentType, String body) {
    String trimmed = body == null ? "" : body.trim();
    if (contentType != null && contentType.startsWith(PROBLEM_JSON)) {
      try {
        var problem = ApiProblem.parse(trimmed);
        String message = problem.message();
        if (!message.isEmpty()) {
          return new ApiException(status, message, problem);
        }
      } catch (IllegalArgumentException e) {
        // A broken problem body is still worth showing, as plain text below.
      }
    }
    String statusLine =
        reason == null || reason.isEmpty() ? "HTTP " + status : status + " " + reason;
    return new ApiException(
        status, trimmed.isEmpty() ? statusLine : statusLine + ": " + trimmed, null);
  }

  public int status() {
    return status;
  }

  /** The parsed problem document, or {@code null} when the body was not one. */
  public ApiProblem problem() {
    return problem;
  }
}
