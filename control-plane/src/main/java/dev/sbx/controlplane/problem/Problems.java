package dev.sbx.controlplane.problem;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds RFC 9457 problem details with a stable {@code type} per kind of error. Each also carries
 * the original program's {@code error} member, so clients written for it still find a message.
 */
public final class Problems {

  public static final String SANDBOX_NOT_FOUND = "sandbox-not-found";
  public static final String SANDBOX_EXISTS = "sandbox-exists";
  public static final String SANDBOX_NOT_READY = "sandbox-not-ready";
  public static final String SANDBOX_DELETING = "sandbox-deleting";
  public static final String INVALID_SANDBOX_ID = "invalid-sandbox-id";
  public static final String EXEC_NOT_FOUND = "exec-not-found";
  public static final String EXEC_FINISHED = "exec-finished";
  public static final String OUTPUT_DROPPED = "output-dropped";
  public static final String TOO_MANY_EXECS = "too-many-execs";
  public static final String INVALID_REQUEST = "invalid-request";
  public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
  public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
  public static final String NOT_FOUND = "not-found";
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String FORBIDDEN = "forbidden";
  public static final String RUNTIME_UNAVAILABLE = "runtime-unavailable";
  public static final String INTERNAL = "internal";
  public static final String NOT_IMPLEMENTED = "not-implemented";

  private static final String TYPE_PREFIX = "urn:sbx:problem:";

  private Problems() {}

  public static ProblemDetail of(HttpStatusCode status, String slug, String title, String detail) {
    var problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(slug));
    problem.setTitle(title);
    problem.setProperty("error", detail);
    return problem;
  }

  /** Our type for a status that no more specific problem describes. */
  public static String slugFor(HttpStatusCode status) {
    return switch (status.value()) {
      case 400 -> INVALID_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> RUNTIME_UNAVAILABLE;
      default -> status.is4xxClientError() ? INVALID_REQUEST : INTERNAL;
    };
  }

  public static URI type(String slug) {
    return URI.create(TYPE_PREFIX + slug);
  }
}
